import { Controller, Get } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  accessTokenClaims,
  sign,
  startJwksServer,
  testKey,
  type JwksServer,
  type TestKey,
} from '../test/issuer.fixture';
import { RequireClaims, RequireScopes } from './access.decorators';
import { AccessTokenVerifier } from './access-token-verifier';
import { Principal } from './principal.decorator';
import { ResourceServerModule } from './resource-server.module';
import { RevocationList, tokenHandle } from './revocation-list';

const ISSUER = 'https://iam.example';
const AUDIENCE = 'https://orders.example';

@Controller('orders')
@RequireScopes('orders_read')
class OrdersController {
  /** DESIGN §5: `orders_read` requires `account_nr`; only that account's orders are looked up. */
  @Get()
  @RequireClaims('account_nr')
  list(@Principal() principal: Principal) {
    return { account: principal.claims.account_nr, actors: principal.actorChain.map((a) => a.sub) };
  }

  @Get('admin')
  @RequireScopes('orders_admin')
  admin(@Principal() principal: Principal) {
    return { sub: principal.sub };
  }
}

@Controller('me')
class MeController {
  @Get()
  @RequireScopes()
  me(@Principal() principal: Principal) {
    return { sub: principal.sub, clientId: principal.clientId, scopes: principal.scopes };
  }

  @Get('public')
  open() {
    return { ok: true };
  }
}

describe('AccessTokenGuard with @RequireScopes / @RequireClaims (NestJS on Fastify)', () => {
  let key: TestKey;
  let jwks: JwksServer;
  let app: NestFastifyApplication;
  const token = (extra = {}) => sign(key, accessTokenClaims(ISSUER, AUDIENCE, { account_nr: 'A-17', ...extra }));
  const get = (url: string, authorization?: string) =>
    app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    key = await testKey('ES256');
    jwks = await startJwksServer([key]);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ResourceServerModule.forRoot({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, realm: 'orders' }),
      ],
      controllers: [OrdersController, MeController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    await jwks.close();
  });

  it('lets a token with the scope and the claim through, with its principal and actor chain', async () => {
    const act = { sub: 'gateway', act: { sub: 'web' } };
    const res = await get('/orders', `Bearer ${await token({ act })}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ account: 'A-17', actors: ['gateway', 'web'] });
  });

  it('answers 401 with a bare challenge when no token is presented (RFC 6750 §3.1)', async () => {
    for (const authorization of [undefined, 'Basic Zm9vOmJhcg==']) {
      const res = await get('/orders', authorization);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="orders"');
    }
  });

  it('answers 401 invalid_token for a bad token', async () => {
    const res = await get('/orders', `Bearer ${await token({ aud: 'https://billing.example' })}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="orders", error="invalid_token", error_description="audience mismatch"',
    );
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: 'audience mismatch' });
  });

  it('answers 400 invalid_request for a malformed Authorization header', async () => {
    const res = await get('/orders', 'Bearer not a token');
    expect(res.statusCode).toBe(400);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_request"/);
  });

  it('answers 403 insufficient_scope with the required scopes when a scope is missing', async () => {
    const res = await get('/orders', `Bearer ${await token({ scope: 'billing_read' })}`);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    expect(res.headers['www-authenticate']).toMatch(/scope="orders_read"$/);
  });

  it('adds class and route scopes up', async () => {
    const onlyRead = await get('/orders/admin', `Bearer ${await token()}`);
    expect(onlyRead.statusCode).toBe(403);
    expect(onlyRead.headers['www-authenticate']).toMatch(
      /scope="orders_admin orders_read"|scope="orders_read orders_admin"/,
    );
    const both = await get('/orders/admin', `Bearer ${await token({ scope: 'orders_read orders_admin' })}`);
    expect(both.statusCode).toBe(200);
  });

  it('answers 403 insufficient_scope when a required claim is missing', async () => {
    const res = await get('/orders', `Bearer ${await token({ account_nr: undefined })}`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'insufficient_scope', error_description: 'claim required: account_nr' });
  });

  it('refuses a token revoked on iam.revocations', async () => {
    const jwt = await token();
    expect((await get('/orders', `Bearer ${jwt}`)).statusCode).toBe(200);
    app.get(RevocationList).add({ handles: [tokenHandle(jwt)], jtis: [] });
    const res = await get('/orders', `Bearer ${jwt}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/error_description="token revoked"/);
  });

  it('@RequireScopes() with no scope needs just a valid token; unguarded routes stay open', async () => {
    const res = await get('/me', `Bearer ${await token({ scope: 'anything' })}`);
    expect(res.json()).toEqual({ sub: 'user-1', clientId: 'client-1', scopes: ['anything'] });
    expect((await get('/me')).statusCode).toBe(401);
    expect((await get('/me/public')).statusCode).toBe(200);
  });
});

describe('ResourceServerModule.forRootAsync', () => {
  it('builds the verifier from options made by a factory', async () => {
    const key = await testKey('ES256');
    const jwks = await startJwksServer([key]);
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ResourceServerModule.forRootAsync({
            useFactory: async () => ({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url }),
          }),
        ],
      }).compile();
      const verifier = moduleRef.get(AccessTokenVerifier);
      const { principal } = await verifier.verify(await sign(key, accessTokenClaims(ISSUER, AUDIENCE)));
      expect(principal.sub).toBe('user-1');
      await moduleRef.close();
    } finally {
      await jwks.close();
    }
  });
});
