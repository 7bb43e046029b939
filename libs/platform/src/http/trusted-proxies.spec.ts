import { Controller, Get, Module, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyRequest } from 'fastify';
import { createHttpAdapter } from '../bootstrap';
import { DEFAULT_TRUSTED_PROXIES } from '../config';

@Controller()
class WhoAmIController {
  @Get('ip')
  ip(@Req() req: FastifyRequest): { ip: string } {
    return { ip: req.ip };
  }
}

@Module({ controllers: [WhoAmIController] })
class WhoAmIModule {}

async function start(trustedProxies?: readonly string[]): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [WhoAmIModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter({ trustedProxies }), {
    logger: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function ipSeen(app: NestFastifyApplication, remoteAddress: string, forwardedFor?: string): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: '/ip',
    remoteAddress,
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ ip: string }>().ip;
}

describe('createHttpAdapter: trusted proxies (TESSERA_TRUSTED_PROXIES)', () => {
  const apps: NestFastifyApplication[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));
  const app = async (proxies?: readonly string[]) => {
    const a = await start(proxies);
    apps.push(a);
    return a;
  };

  it('takes the client address from X-Forwarded-For when the peer is a trusted proxy', async () => {
    const a = await app(['10.0.0.0/8']);
    expect(await ipSeen(a, '10.1.2.3', '203.0.113.9')).toBe('203.0.113.9');
    // A client-supplied entry before the proxy's own is not believed: the nearest untrusted hop wins.
    expect(await ipSeen(a, '10.1.2.3', '198.51.100.66, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ipSeen(a, '10.1.2.3')).toBe('10.1.2.3');
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const a = await app(['10.0.0.0/8']);
    expect(await ipSeen(a, '198.51.100.2', '203.0.113.9')).toBe('198.51.100.2');
  });

  it('trusts loopback (nginx on the same host) with the default configuration', async () => {
    const a = await app(DEFAULT_TRUSTED_PROXIES);
    expect(await ipSeen(a, '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await ipSeen(a, '::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(await ipSeen(a, '192.0.2.10', '203.0.113.9')).toBe('192.0.2.10');
  });

  it('trusts nobody when given no proxies', async () => {
    const a = await app([]);
    expect(await ipSeen(a, '127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
    expect(await ipSeen(await app(), '127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
  });
});
