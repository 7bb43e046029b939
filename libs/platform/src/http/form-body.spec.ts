import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { BODY_LIMIT_BYTES, createHttpAdapter } from '../bootstrap';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { body };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('createHttpAdapter: body parsers', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EchoModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  const form = (payload: string) =>
    app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });

  it('parses application/x-www-form-urlencoded bodies (formbody)', async () => {
    const res = await form('grant_type=client_credentials&scope=a%20b');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ body: { grant_type: 'client_credentials', scope: 'a b' } });
  });

  it('keeps a repeated parameter as an array so that endpoints can reject it (RFC 6749 §3.2)', async () => {
    const res = await form('scope=a&scope=b');
    expect(res.json()).toEqual({ body: { scope: ['a', 'b'] } });
  });

  it('still parses JSON and rejects prototype poisoning', async () => {
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(ok.json()).toEqual({ body: { a: 1 } });
    const poisoned = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__":{"x":1}}',
    });
    expect(poisoned.statusCode).toBe(400);
  });

  it('answers 413 to a form body over the limit', async () => {
    const res = await form(`scope=${'a'.repeat(BODY_LIMIT_BYTES + 1)}`);
    expect(res.statusCode).toBe(413);
  });
});
