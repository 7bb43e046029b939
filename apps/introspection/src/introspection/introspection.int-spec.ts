import { createHash, randomUUID } from 'node:crypto';
import { TOKEN_EXCHANGE_GRANT } from '../../../token/src/clients/client-metadata.validator';
import { tokenMigrations } from '../../../token/src/migrations';
import { TokenIssuer } from '../../../token/src/tokens/token-issuer.service';
import { introspectionMigrations } from '../migrations';
import { uniqueSuffix } from '../../../../test/support/infra';
import { runMigrations } from '@tessera/event-store';
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@tessera/oauth';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type IntrospectionTestApp, startIntrospectionTestApp } from '../../test/introspection-test-app';
import { HotTokenCache } from './hot-token.cache';
import { eventually, basic, type TestClient } from '../../../../test/support/oauth-helpers';

jest.setTimeout(120_000);

// Issue 4 §1, §2 through POST /oauth/introspect (RFC 7662, RFC 9701) on each
// mode, the token service and the introspection service sharing one log.

/** How long a revocation may take to show at introspection here (the bus, or at worst the 2 s revalidation). */
const REVOCATION_BOUND_MS = 5_000;

type Client = TestClient;

describe.each(['distributed', 'standalone'] as const)('introspection (%s)', (mode) => {
  let t: IntrospectionTestApp;
  let app: Client;
  let rs: Client;

  async function register(metadata: Record<string, unknown>): Promise<Client> {
    const res = await t.token.json('POST', '/oauth/register', metadata, { authorization: `Bearer ${t.adminToken}` });
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  }
  const introspect = (caller: Client, form: Record<string, string>, headers: Record<string, string> = {}) =>
    t.introspection.form('/oauth/introspect', form, { ...basic(caller), ...headers });
  const clientCredentials = async (c: Client) => {
    const res = await t.token.form('/oauth/token', { grant_type: 'client_credentials' }, basic(c));
    expect(res.status).toBe(200);
    return String(res.json().access_token);
  };

  beforeAll(async () => {
    t = await startIntrospectionTestApp(mode);
    app = await register({ grant_types: ['client_credentials', 'refresh_token'], scope: 'read' });
    rs = await register({ grant_types: ['client_credentials'], scope: 'read' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers active with every RFC 7662 member the instant the token was issued', async () => {
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = await clientCredentials(app);
    const res = await introspect(app, { token, token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const body = res.json();
    expect(body).toEqual({
      active: true,
      scope: 'read',
      client_id: app.id,
      sub: app.id,
      aud: t.issuer,
      iss: t.issuer,
      exp: expect.any(Number),
      iat: expect.any(Number),
      jti: expect.any(String),
      token_type: 'Bearer',
    });
    expect(Math.abs((body.iat as number) - issuedAt)).toBeLessThanOrEqual(2);
    expect(body.exp as number).toBeGreaterThan(body.iat as number);
  });

  it('releases the claims the scope requires, and accepts client_secret_post', async () => {
    const put = await t.token.json(
      'PUT',
      '/admin/scopes/orders_read',
      { description: 'Orders', claims: ['account_nr'] },
      { authorization: `Bearer ${t.adminToken}` },
    );
    expect(put.status).toBeLessThan(300);
    const issued = await t.token.get<TokenIssuer>(TokenIssuer).issue({
      clientId: app.id,
      format: 'reference',
      sub: `user-${uniqueSuffix()}`,
      scopes: ['orders_read'],
      audience: [t.issuer],
      claims: { account_nr: 'AC-42', email: 'not-released@example.com' },
      meta: { now: new Date(), actor: 'user:test' },
    });
    const res = await t.introspection.form('/oauth/introspect', {
      token: issued.access_token,
      client_id: app.id,
      client_secret: app.secret,
    });
    // The client registered client_secret_basic: the other method is refused.
    expect(res.status).toBe(401);
    const ok = await introspect(app, { token: issued.access_token });
    expect(ok.json()).toMatchObject({ active: true, scope: 'orders_read', account_nr: 'AC-42' });
    expect(ok.json().email).toBeUndefined();
    // DESIGN §2: the claim travels sealed under the token value; the log alone cannot read it.
    const inClear = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM eventlog.events
       WHERE data::text LIKE '%AC-42%' OR (type = 'access-token.issued' AND data ? 'claims')`,
    );
    expect(Number(inClear[0].n)).toBe(0);

    const post = await register({
      grant_types: ['client_credentials'],
      scope: 'read',
      token_endpoint_auth_method: 'client_secret_post',
    });
    const own = await t.token.form('/oauth/token', {
      grant_type: 'client_credentials',
      client_id: post.id,
      client_secret: post.secret,
    });
    const viaPost = await t.introspection.form('/oauth/introspect', {
      token: String(own.json().access_token),
      client_id: post.id,
      client_secret: post.secret,
    });
    expect(viaPost.json()).toMatchObject({ active: true, client_id: post.id });
  });

  it('accepts a private_key_jwt caller, each assertion once', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rs-key', alg: 'ES256', use: 'sig' };
    const res = await t.token.json(
      'POST',
      '/oauth/register',
      {
        grant_types: ['client_credentials'],
        scope: 'read',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [jwk] },
      },
      { authorization: `Bearer ${t.adminToken}` },
    );
    const id = String(res.json().client_id);
    const now = Math.floor(Date.now() / 1000);
    // RFC 7523 §3: the issuer identifies the authorization server as the assertion's audience.
    const assertion = await new SignJWT({ iss: id, sub: id, aud: t.issuer, jti: randomUUID(), iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: 'rs-key' })
      .sign(privateKey);
    const form = {
      token: await clientCredentials(app),
      client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    };
    const first = await t.introspection.form('/oauth/introspect', form);
    expect(first.status).toBe(200);
    expect(first.body).toBe('{"active":false}'); // authenticated, but the token is not meant for it
    const replay = await t.introspection.form('/oauth/introspect', form);
    expect(replay.status).toBe(401);
    expect(replay.json().error).toBe('invalid_client');
  });

  it('answers exactly {"active":false} for unknown, malformed and not-meant-for-the-caller tokens', async () => {
    const token = await clientCredentials(app);
    for (const [caller, value] of [
      [app, 'tsr_at_unknownunknownunknownunknownunknownunk'],
      [app, 'not a token at all'],
      [app, 'x'.repeat(10_000)],
      [rs, token],
    ] as const) {
      const res = await introspect(caller, { token: value });
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"active":false}');
    }
  });

  it('answers a registered resource server for tokens of another client for its resource, and only those', async () => {
    const orders = `https://orders-${uniqueSuffix()}.example/api`;
    const billing = `https://billing-${uniqueSuffix()}.example/api`;
    const ordersRs = await register({ grant_types: ['client_credentials'], resource_identifiers: [orders] });
    const caller = await register({
      grant_types: ['client_credentials', TOKEN_EXCHANGE_GRANT],
      scope: 'read',
      token_exchange_policy: { [orders]: 'read', [billing]: 'read' },
    });
    // RFC 8707 §2: the caller asks for a token for one resource; its aud is that absolute URI.
    const tokenFor = async (resource: string) => {
      const res = await t.token.form('/oauth/token', { grant_type: 'client_credentials', resource }, basic(caller));
      expect(res.status).toBe(200);
      return String(res.json().access_token);
    };
    const forOrders = await tokenFor(orders);
    const answer = await introspect(ordersRs, { token: forOrders });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ active: true, client_id: caller.id, sub: caller.id, aud: orders });
    const signed = await introspect(ordersRs, { token: forOrders }, { accept: 'application/token-introspection+jwt' });
    expect(decodeJwt(signed.body)).toMatchObject({
      aud: ordersRs.id,
      token_introspection: { active: true, aud: orders },
    });

    // A token for another resource, or for the issuer, is not meant for the orders API.
    for (const other of [await tokenFor(billing), await clientCredentials(app)]) {
      const res = await introspect(ordersRs, { token: other });
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"active":false}');
    }
    // The client the token was issued to still may.
    expect((await introspect(caller, { token: forOrders })).json()).toMatchObject({ active: true, aud: orders });
  });

  it('refuses unauthenticated callers with 401 invalid_client, and a missing token with 400', async () => {
    const token = await clientCredentials(app);
    const none = await t.introspection.form('/oauth/introspect', { token });
    expect(none.status).toBe(401);
    expect(none.json().error).toBe('invalid_client');
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    const wrong = await introspect({ id: app.id, secret: 'wrong' }, { token });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic/);
    const unknown = await introspect({ id: 'nobody', secret: 'wrong' }, { token });
    expect(unknown.json()).toEqual(wrong.json());
    const publicOnly = await t.introspection.form('/oauth/introspect', { token, client_id: app.id });
    expect(publicOnly.status).toBe(401);
    const missing = await introspect(app, {});
    expect(missing.status).toBe(400);
    expect(missing.json().error).toBe('invalid_request');
    const json = await t.introspection.json('POST', '/oauth/introspect', { token }, basic(app));
    expect(json.status).toBe(400);
  });

  // PGlite has one role, the owner: the grant is PostgreSQL's.
  (mode === 'distributed' ? it : it.skip)(
    'checks secrets as tessera_introspection through token.client_secret_matches only',
    async () => {
      const hash = createHash('sha256').update(app.secret).digest();
      const asIntrospection = <T>(sql: string, params: unknown[]) =>
        t.db.transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE tessera_introspection');
          return tx.query<T>(sql, params);
        });
      const matches = (id: string, h: Buffer) =>
        asIntrospection<{ ok: boolean }>('SELECT token.client_secret_matches($1, $2) AS ok', [id, h]);
      expect(await matches(app.id, hash)).toEqual([{ ok: true }]);
      expect(await matches(app.id, createHash('sha256').update('wrong').digest())).toEqual([{ ok: false }]);
      expect(await matches('nobody', hash)).toEqual([{ ok: false }]);
      await expect(asIntrospection('SELECT secret_hash FROM token.client_secrets', [])).rejects.toMatchObject({
        code: '42501', // insufficient_privilege: the hashes stay in the token schema
      });

      // As for a role created after token/0003_client_secret_check ran: the service grants of the
      // next migration run (nothing pending) grant it again.
      await t.db.query(
        'REVOKE EXECUTE ON FUNCTION token.client_secret_matches(text, bytea) FROM tessera_introspection',
      );
      await t.db.query('REVOKE USAGE ON SCHEMA token FROM tessera_introspection');
      await expect(matches(app.id, hash)).rejects.toMatchObject({ code: '42501' });
      expect(await runMigrations(t.db, { migrations: [...tokenMigrations, ...introspectionMigrations] })).toEqual([]);
      expect(await matches(app.id, hash)).toEqual([{ ok: true }]);
      await expect(asIntrospection('SELECT secret_hash FROM token.client_secrets', [])).rejects.toMatchObject({
        code: '42501',
      });
    },
  );

  it('answers active:false within a bounded wait after /oauth/revoke', async () => {
    const token = await clientCredentials(app);
    expect((await introspect(app, { token })).json().active).toBe(true); // now in the hot cache
    const revokedAt = Date.now();
    expect((await t.token.form('/oauth/revoke', { token }, basic(app))).status).toBe(200);
    await eventually(
      async () => ((await introspect(app, { token })).body === '{"active":false}' ? true : undefined),
      REVOCATION_BOUND_MS,
      'active:false after revocation',
    );
    expect(Date.now() - revokedAt).toBeLessThan(REVOCATION_BOUND_MS);
    // The iam.revocations message reached this introspection instance's hot cache (not only the read model).
    const handle = createHash('sha256').update(token).digest('base64url');
    const cache = t.introspection.get<HotTokenCache>(HotTokenCache);
    await eventually(async () => (cache.isRevoked(handle, Date.now()) ? true : undefined), 30_000, 'the bus message');
  });

  it('a refresh family revocation makes its access tokens inactive', async () => {
    const issued = await t.token.get<TokenIssuer>(TokenIssuer).issue({
      clientId: app.id,
      format: 'reference',
      sub: `user-${uniqueSuffix()}`,
      scopes: ['read'],
      audience: [t.issuer],
      refreshToken: true,
      meta: { now: new Date(), actor: 'user:test' },
    });
    expect((await introspect(app, { token: issued.access_token })).json().active).toBe(true);
    const revoke = await t.token.form('/oauth/revoke', { token: issued.refresh_token! }, basic(app));
    expect(revoke.status).toBe(200);
    await eventually(
      async () => ((await introspect(app, { token: issued.access_token })).json().active === false ? true : undefined),
      REVOCATION_BOUND_MS,
      'family revocation at introspection',
    );
  });

  it('answers a signed RFC 9701 JWT that verifies against /jwks', async () => {
    const token = await clientCredentials(app);
    const res = await introspect(app, { token }, { accept: 'application/token-introspection+jwt' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/token-introspection\+jwt/);
    expect(res.headers['cache-control']).toBe('no-store');
    const jwt = res.body;
    const header = decodeProtectedHeader(jwt);
    expect(header.typ).toBe('token-introspection+jwt');
    const jwks = await eventually(
      async () => {
        const set = (await t.token.request({ method: 'GET', url: '/jwks' })).json<JSONWebKeySet>();
        return set.keys.some((k) => k.kid === header.kid) ? set : undefined;
      },
      30_000,
      "the introspection key in the token service's /jwks",
    );
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: t.issuer, audience: app.id });
    expect(payload.token_introspection).toMatchObject({ active: true, client_id: app.id, jti: expect.any(String) });
    const inactive = await introspect(rs, { token }, { accept: 'application/token-introspection+jwt' });
    const { payload: p2 } = await jwtVerify(inactive.body, createLocalJWKSet(jwks), { audience: rs.id });
    expect(p2.token_introspection).toStrictEqual({ active: false });
    expect(jwt).not.toContain(createHash('sha256').update(token).digest('base64url'));
  });
});
