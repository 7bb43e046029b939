import { BadRequestException, Body, Controller, Get, Module, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { BODY_LIMIT_BYTES, createHttpAdapter } from '../bootstrap';
import { LOGGER } from '../tokens';
import { ServerErrorFilter } from './server-error.filter';

@Controller()
class ProbeController {
  @Get('boom')
  boom(): never {
    throw new Error('database password=hunter2 leaked in an internal message');
  }

  @Get('bad')
  bad(): never {
    throw new BadRequestException('missing parameter');
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

const logged: unknown[] = [];
const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (o: unknown) => logged.push(o),
};

@Module({
  controllers: [ProbeController],
  providers: [
    { provide: LOGGER, useValue: logger },
    { provide: APP_FILTER, useClass: ServerErrorFilter },
  ],
})
class ProbeModule {}

describe('HTTP edge: ServerErrorFilter and body limit', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('answers an unknown error with a bare 500 server_error, details only in the log', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'server_error' });
    expect(res.body).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
  });

  it('answers a client error in the RFC 6749 shape, keeping its message as the description', async () => {
    const res = await app.inject({ method: 'GET', url: '/bad' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'missing parameter' });
  });

  it("answers an unparsable JSON body with invalid_request, not Fastify's own shape", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers an unknown route with not_found', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });

  it('accepts a body up to the limit and answers 413 beyond it', async () => {
    const small = await app.inject({ method: 'POST', url: '/echo', payload: { a: 'x'.repeat(1000) } });
    expect(small.statusCode).toBe(201);
    const big = await app.inject({ method: 'POST', url: '/echo', payload: { a: 'x'.repeat(BODY_LIMIT_BYTES) } });
    expect(big.statusCode).toBe(413);
    expect(big.body).not.toMatch(/\bat .*\.[jt]s:\d+/);
  });
});
