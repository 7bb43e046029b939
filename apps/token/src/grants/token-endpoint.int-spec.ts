import { createHash } from 'node:crypto';
import { TokenEvents } from '@tessera/contracts';
import { PROJECTION_RUNNER } from '@tessera/platform';
import type { ProjectionRunner } from '@tessera/projections';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import { TokenIssuer } from '../tokens/token-issuer.service';

jest.setTimeout(120_000);

// Issue 3 §5, §6 through POST /oauth/token on the real database of each mode:
// client credentials in both formats, refresh rotation, reuse detection and
// concurrent use, and bad input answered with the RFC's error, never a 500.

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});
const handleOf = (value: string) => createHash('sha256').update(value).digest('base64url');

describe.each(['distributed', 'standalone'] as const)('token endpoint (%s)', (mode) => {
  let app: TokenTestApp;

  async function registerClient(metadata: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const res = await app.json('POST', '/oauth/register', metadata, { authorization: `Bearer ${app.adminToken}` });
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  }
  const token = (client: { id: string; secret: string }, form: Record<string, string | string[]>) =>
    app.form('/oauth/token', form, basic(client.id, client.secret));

  const tokenEventCount = async () =>
    (await app.loggedEvents()).filter((e) => /^(access-token|refresh-)/.test(e.type)).length;

  async function logText(): Promise<string> {
    return JSON.stringify(await app.loggedEvents());
  }

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('issues a reference token for client credentials: prefix, no-store, scope ⊆ registered, only its handle in the log', async () => {
    const client = await registerClient({ grant_types: ['client_credentials'], scope: 'read write' });
    const res = await token(client, { grant_type: 'client_credentials', scope: 'read' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
    const body = res.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^tsr_at_[\w-]{43}$/),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'read',
    });
    const events = await app.store.readStream(`accesstoken-${handleOf(String(body.access_token))}`);
    expect(events.map((e) => e.type)).toEqual([TokenEvents.accessTokenIssued]);
    expect(events[0].data).toMatchObject({
      clientId: client.id,
      sub: client.id,
      scope: 'read',
      aud: [app.issuer],
      format: 'reference',
    });
    const log = await logText();
    expect(log).not.toContain(String(body.access_token));
    expect(log).not.toContain(client.secret);
  });

  it('issues an RFC 9068 JWT that verifies with the signing key, aud = the requested resource only', async () => {
    const api = 'https://api.example/orders';
    const client = await registerClient({
      grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      scope: 'read',
      access_token_format: 'jwt',
      token_exchange_policy: { [api]: 'read' },
    });
    const res = await token(client, { grant_type: 'client_credentials', resource: api });
    expect(res.status).toBe(200);
    const jwt = String(res.json().access_token);
    expect(decodeProtectedHeader(jwt)).toMatchObject({ typ: 'at+jwt', alg: 'ES256', kid: expect.any(String) });
    const jwks = (await app.json('GET', '/jwks', undefined)).json() as unknown as JSONWebKeySet;
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: app.issuer,
      audience: api,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ sub: client.id, client_id: client.id, scope: 'read', aud: api });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(typeof payload.jti).toBe('string');
    const [issued] = await app.store.readStream(`accesstoken-${handleOf(jwt)}`);
    expect(issued.data).toMatchObject({ format: 'jwt', jti: payload.jti, aud: [api] });

    const other = await token(client, { grant_type: 'client_credentials', resource: 'https://evil.example/' });
    expect(other.status).toBe(400);
    expect(other.json().error).toBe('invalid_target');
  });

  it('refuses a scope requiring claims to a machine client with invalid_scope and a description', async () => {
    const put = await app.json(
      'PUT',
      '/admin/scopes/orders_read',
      { description: 'Orders', claims: ['account_nr'] },
      {
        authorization: `Bearer ${app.adminToken}`,
      },
    );
    expect(put.status).toBeLessThan(300);
    const client = await registerClient({ grant_types: ['client_credentials'], scope: 'orders_read' });
    const res = await token(client, { grant_type: 'client_credentials', scope: 'orders_read' });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_scope', error_description: expect.stringContaining('account_nr') });
  });

  it('follows a scope redefinition at once, although the scope catalogue is cached between requests', async () => {
    const admin = { authorization: `Bearer ${app.adminToken}` };
    const define = async (claims: string[]) =>
      expect((await app.json('PUT', '/admin/scopes/billing', { description: 'Billing', claims }, admin)).status).toBe(
        200,
      );
    await define([]);
    const client = await registerClient({ grant_types: ['client_credentials'], scope: 'billing' });
    const issue = () => token(client, { grant_type: 'client_credentials', scope: 'billing' });
    expect((await issue()).status).toBe(200); // caches the definition
    await define(['account_nr']); // now requires a claim a machine client cannot have
    const refused = await issue();
    expect(refused.status).toBe(400);
    expect(refused.json().error).toBe('invalid_scope');
    await define([]);
    expect((await issue()).status).toBe(200); // a cached refusal is looked at again, not repeated
    expect((await app.json('DELETE', '/admin/scopes/billing', undefined, admin)).status).toBe(204);
    expect((await issue()).status).toBe(200); // an undefined scope requires nothing (as before the cache)
  });

  it('answers bad input with the RFC error, never a 500, and writes nothing', async () => {
    const client = await registerClient({ grant_types: ['client_credentials'], scope: 'read' });
    const before = await tokenEventCount();
    const cases: [Record<string, string | string[]>, Record<string, string>, number, string][] = [
      [
        { grant_type: 'client_credentials', scope: ['read', 'read'] },
        basic(client.id, client.secret),
        400,
        'invalid_request',
      ],
      [
        { grant_type: ['client_credentials', 'client_credentials'] },
        basic(client.id, client.secret),
        400,
        'invalid_request',
      ],
      [{ scope: 'read' }, basic(client.id, client.secret), 400, 'invalid_request'],
      [{ grant_type: 'password' }, basic(client.id, client.secret), 400, 'unsupported_grant_type'],
      [{ grant_type: 'client_credentials' }, basic(client.id, 'wrong'), 401, 'invalid_client'],
      [{ grant_type: 'client_credentials' }, basic('nobody', 'wrong'), 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', scope: 'admin' }, basic(client.id, client.secret), 400, 'invalid_scope'],
      [
        { grant_type: 'refresh_token', refresh_token: 'tsr_rt_x' },
        basic(client.id, client.secret),
        400,
        'unauthorized_client',
      ],
      [
        { grant_type: 'client_credentials', resource: 'not a uri' },
        basic(client.id, client.secret),
        400,
        'invalid_target',
      ],
    ];
    for (const [form, headers, status, error] of cases) {
      const res = await app.form('/oauth/token', form, headers);
      expect({ form, status: res.status, error: res.json().error }).toEqual({ form, status, error });
      expect(res.headers['cache-control']).toBe('no-store');
      if (status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="tessera"');
    }
    const json = await app.json(
      'POST',
      '/oauth/token',
      { grant_type: 'client_credentials' },
      basic(client.id, client.secret),
    );
    expect(json.status).toBeLessThan(500);
    const huge = await token(client, { grant_type: 'client_credentials', scope: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(await tokenEventCount()).toBe(before);
  });

  describe('refresh tokens', () => {
    let client: { id: string; secret: string };
    const issueFamily = () =>
      app.get<TokenIssuer>(TokenIssuer).issue({
        clientId: client.id,
        format: 'reference',
        sub: 'user-1',
        scopes: ['read', 'write'],
        audience: [app.issuer],
        refreshToken: true,
        meta: { now: new Date(), actor: 'user:user-1' },
      });
    const refresh = (refreshToken: string, extra: Record<string, string> = {}, who = client) =>
      token(who, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });

    beforeAll(async () => {
      client = await registerClient({ grant_types: ['client_credentials', 'refresh_token'], scope: 'read write' });
    });

    it('rotates on every use; scope may only narrow; bound to its client', async () => {
      const first = await issueFamily();
      expect(first.refresh_token).toMatch(/^tsr_rt_[\w-]{43}$/);
      const wider = await refresh(first.refresh_token!, { scope: 'read write admin' });
      expect(wider.json().error).toBe('invalid_scope');
      const other = await registerClient({ grant_types: ['refresh_token', 'client_credentials'], scope: 'read write' });
      const stolen = await refresh(first.refresh_token!, {}, other);
      expect(stolen.json().error).toBe('invalid_grant');

      const second = await refresh(first.refresh_token!, { scope: 'read' });
      expect(second.status).toBe(200);
      expect(second.headers['cache-control']).toBe('no-store');
      expect(second.json()).toMatchObject({ token_type: 'Bearer', scope: 'read', expires_in: 900 });
      const next = String(second.json().refresh_token);
      expect(next).toMatch(/^tsr_rt_/);
      expect(next).not.toBe(first.refresh_token);
      const third = await refresh(next);
      expect(third.status).toBe(200);
      expect(third.json().scope).toBe('read write');
    });

    it('detects reuse: the old token replayed → invalid_grant and the whole family revoked in one event', async () => {
      const first = await issueFamily();
      const second = await refresh(first.refresh_token!);
      const live = String(second.json().refresh_token);
      const replay = await refresh(first.refresh_token!);
      expect(replay.status).toBe(400);
      expect(replay.json().error).toBe('invalid_grant');
      // The live token of the family is dead too.
      expect((await refresh(live)).json().error).toBe('invalid_grant');
      const log = await app.loggedEvents();
      const revoked = log.filter(
        (e) =>
          e.type === TokenEvents.refreshFamilyRevoked && (e.data.refreshHandles as string[]).includes(handleOf(live)),
      );
      expect(revoked).toHaveLength(1);
      expect(revoked[0].data).toMatchObject({
        reason: 'refresh_token_reuse',
        refreshHandles: [handleOf(first.refresh_token!), handleOf(live)],
        accessTokenHandles: [handleOf(first.access_token), handleOf(String(second.json().access_token))],
      });
    });

    it('lets exactly one of two concurrent uses succeed; the loser is replay and revokes the family', async () => {
      const first = await issueFamily();
      const answers = await Promise.all([refresh(first.refresh_token!), refresh(first.refresh_token!)]);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 400]);
      const loser = answers.find((a) => a.status === 400)!;
      expect(loser.json().error).toBe('invalid_grant');
      const winner = answers.find((a) => a.status === 200)!;
      expect((await refresh(String(winner.json().refresh_token))).json().error).toBe('invalid_grant');
    });

    it('rejects an unknown or malformed refresh token with invalid_grant', async () => {
      for (const value of ['tsr_rt_' + 'A'.repeat(43), 'garbage']) {
        const res = await refresh(value);
        expect(res.status).toBe(400);
        expect(res.json().error).toBe('invalid_grant');
      }
      expect((await token(client, { grant_type: 'refresh_token' })).json().error).toBe('invalid_request');
    });

    it('finds a refresh token the instant it was issued, whatever the read model has seen (DESIGN §4)', async () => {
      const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
      await runner.stop();
      // On PostgreSQL, also hold an older transaction open: log readers stop below it (DESIGN §2), so a
      // lookup that waited for the read model to catch up would not find the new token.
      const older = mode === 'distributed' ? await app.db.session() : undefined;
      await older?.query('BEGIN');
      await older?.query('SELECT pg_current_xact_id()');
      try {
        const first = await issueFamily();
        const second = await refresh(first.refresh_token!);
        expect(second.status).toBe(200);
        expect((await refresh(String(second.json().refresh_token))).status).toBe(200);
      } finally {
        await older?.query('COMMIT');
        await older?.release();
        await runner.start();
      }
    });
  });
});
