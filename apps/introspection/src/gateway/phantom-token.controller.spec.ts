import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createHttpAdapter, LOGGER } from '@tessera/platform';
import { noopLogger } from '@tessera/telemetry';
import { Registry } from 'prom-client';
import type { ActiveToken } from '../introspection/active-token';
import { GATEWAY_SECRET, GatewaySecret } from './gateway-secret';
import { PhantomTokenController } from './phantom-token.controller';
import { PHANTOM_DECISIONS, PHANTOM_DECISIONS_METRIC, phantomDecisionCounter } from './phantom-token.metrics';
import { PhantomTokenService } from './phantom-token.service';
import { defaultPhantomTokenSettings, PHANTOM_TOKEN_SETTINGS } from './phantom-token.settings';

const OPAQUE = 'tsr_at_live';
const SECRET = 'gateway-secret-0123456789abcdefghijklmnop';
const fromGateway = { 'x-tessera-gateway-secret': SECRET };
const API = 'https://api.example/orders';
const live: ActiveToken = {
  handle: 'h',
  clientId: 'c',
  sub: 's',
  scope: 'orders_read',
  aud: [API],
  format: 'reference',
  jti: 'j',
  iat: 0,
  exp: Math.floor(Date.now() / 1000) + 3600,
  claims: {},
};

describe('PhantomTokenController (HTTP, as nginx auth_request calls it)', () => {
  let app: NestFastifyApplication;
  const registry = new Registry();
  const signed: string[] = [];

  async function start(secret: string | undefined, metrics: Registry): Promise<NestFastifyApplication> {
    const service = new PhantomTokenService({
      introspector: { introspect: async (t) => (t === OPAQUE ? live : null) },
      signer: {
        sign: async () => {
          signed.push('header.payload.signature');
          return 'header.payload.signature';
        },
      },
      issuer: 'https://id.example',
      settings: defaultPhantomTokenSettings,
      clock: Date.now,
      logger: noopLogger,
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [PhantomTokenController],
      providers: [
        { provide: PhantomTokenService, useValue: service },
        { provide: PHANTOM_TOKEN_SETTINGS, useValue: defaultPhantomTokenSettings },
        { provide: LOGGER, useValue: noopLogger },
        { provide: PHANTOM_DECISIONS, useValue: phantomDecisionCounter(metrics) },
        { provide: GATEWAY_SECRET, useValue: new GatewaySecret(secret) },
      ],
    }).compile();
    const started = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter());
    await started.init();
    await started.getHttpAdapter().getInstance().ready();
    return started;
  }

  beforeAll(async () => {
    app = await start(SECRET, registry);
  });

  afterAll(() => app.close());

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const)(
    'answers %s with 200, the JWT as Authorization: Bearer, and no body',
    async (method) => {
      const res = await app.inject({
        method,
        url: '/gateway/phantom',
        headers: { ...fromGateway, authorization: `Bearer ${OPAQUE}`, 'x-tessera-audience': API },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['authorization']).toBe('Bearer header.payload.signature');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toBe('');
    },
  );

  it('refuses with 401 and the RFC 6750 §3 challenge, and never echoes the token', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/gateway/phantom',
      headers: { ...fromGateway, authorization: 'Bearer tsr_at_unknown', 'x-tessera-audience': API },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera", error="invalid_token"');
    expect(res.headers['authorization']).toBeUndefined();
    expect(res.body).not.toContain('tsr_at_unknown');
  });

  it('refuses a request without credentials with a challenge without an error code', async () => {
    const res = await app.inject({ method: 'GET', url: '/gateway/phantom', headers: fromGateway });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera"');
  });

  it('refuses a token for another API than the one nginx names', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/gateway/phantom',
      headers: { ...fromGateway, authorization: `Bearer ${OPAQUE}`, 'x-tessera-audience': 'https://api.example/other' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('refuses a caller without the gateway secret, or with a wrong one, with a plain 403 and no JWT', async () => {
    const before = signed.length;
    for (const secret of [undefined, 'wrong-secret-0123456789abcdefghijklmnop', `${SECRET}x`, SECRET.slice(1)]) {
      const res = await app.inject({
        method: 'GET',
        url: '/gateway/phantom',
        headers: {
          authorization: `Bearer ${OPAQUE}`,
          'x-tessera-audience': API,
          ...(secret === undefined ? {} : { 'x-tessera-gateway-secret': secret }),
        },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.headers['authorization']).toBeUndefined();
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.body).toBe('Forbidden');
    }
    expect(signed.length).toBe(before);
  });

  it('refuses every caller when no gateway secret is configured', async () => {
    const off = await start(undefined, new Registry());
    try {
      for (const headers of [{}, fromGateway, { 'x-tessera-gateway-secret': '' }]) {
        const res = await off.inject({
          method: 'GET',
          url: '/gateway/phantom',
          headers: { ...headers, authorization: `Bearer ${OPAQUE}`, 'x-tessera-audience': API },
        });
        expect(res.statusCode).toBe(403);
        expect(res.headers['authorization']).toBeUndefined();
      }
    } finally {
      await off.close();
    }
  });

  it('counts every answer by outcome, never by token', async () => {
    const counted = (await registry.getSingleMetric(PHANTOM_DECISIONS_METRIC)!.get()).values;
    const byOutcome = Object.fromEntries(counted.map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome).toEqual({
      minted: 1,
      reused: 5,
      inactive_token: 1,
      no_bearer_token: 1,
      audience_mismatch: 1,
      not_gateway: 4,
    });
    expect(JSON.stringify(counted)).not.toContain('tsr_at_');
  });
});
