import { randomBytes } from 'node:crypto';
import { SIGNING_KEY_CREATED } from '@tessera/contracts';
import type { Database, EventStore } from '@tessera/event-store';
import { KeyEncryptionKey, SigningKeys, SigningKeyVault } from '@tessera/keys';
import { DATABASE, EVENT_STORE, PROJECTION_RUNNER } from '@tessera/platform';
import type { ProjectionRunner } from '@tessera/projections';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import { SIGNING_KEY_SETTINGS, type SigningKeySettings } from './signing-key.settings';
import { TokenSigner } from './token-signer';

jest.setTimeout(120_000);

// Issue 3 §3, §4 through the HTTP surface on the real database of each mode:
// a key is in /jwks before it signs, tokens verify against /jwks, rotation
// publishes the next key while the old one stays, no private key in the log.

const ISSUER = 'https://issuer.example';

describe.each(['distributed', 'standalone'] as const)('signing keys, /jwks and discovery (%s)', (mode) => {
  let h: TokenTestApp;
  let db: Database;
  let store: EventStore;
  let runner: ProjectionRunner;

  const jwks = async (): Promise<JSONWebKeySet> =>
    (await h.request({ method: 'GET', url: '/jwks' })).json<JSONWebKeySet>();
  const kidsInJwks = async () => (await jwks()).keys.map((k) => k.kid).sort();
  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;

  /** A second SigningKeys on the same database, with its own clock and settings (another instance, later). */
  const keysAt = (now: Date, overrides: Partial<SigningKeySettings> = {}) =>
    new SigningKeys({
      owner: 'token',
      schema: 'token',
      db,
      store,
      kek: new KeyEncryptionKey(h.kek),
      settings: { ...h.app.get<SigningKeySettings>(SIGNING_KEY_SETTINGS), ...overrides },
      catchUp: () => runner.catchUp(),
      now: () => now,
    });

  beforeAll(async () => {
    h = await startTokenTestApp(mode);
    db = h.app.get(DATABASE);
    store = h.app.get(EVENT_STORE);
    runner = h.app.get(PROJECTION_RUNNER);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a key at start, publishes it in /jwks, and signs tokens that verify against /jwks', async () => {
    const res = await h.request({ method: 'GET', url: '/jwks' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const set: JSONWebKeySet = res.json();
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(set.keys[0]).not.toHaveProperty('d');

    const jwt = await h.app
      .get(TokenSigner)
      .sign(
        { iss: ISSUER, sub: 'svc', aud: 'https://api.example', exp: Math.floor(Date.now() / 1000) + 60 },
        { typ: 'at+jwt' },
      );
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: set.keys[0].kid, typ: 'at+jwt' });
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(set), {
      issuer: ISSUER,
      typ: 'at+jwt',
    });
    expect(payload.sub).toBe('svc');
    expect(protectedHeader.kid).toBe(set.keys[0].kid);
  });

  it('rotates: the next key is published while the old one keeps signing and stays, then takes over', async () => {
    const signer = h.app.get(TokenSigner);
    const before = await kidsInJwks();
    const oldKid = kidOf(await signer.sign({ sub: 'a' }, { typ: 'at+jwt' }));

    // Published now, may sign only after a propagation delay of one minute.
    const t0 = new Date();
    const rotation = await keysAt(t0, { publishDelayMs: 60_000 }).rotate();
    expect(rotation.activated).toBe(false);
    expect(await kidsInJwks()).toEqual([...before, rotation.kid].sort());
    await keysAt(new Date(t0.getTime() + 59_000)).tick();
    expect((await keysAt(new Date()).current()).kid).toBe(oldKid);

    // After the delay the schedule activates it; the old key stays published for the tokens it signed.
    const t1 = new Date(t0.getTime() + 61_000);
    await keysAt(t1).tick();
    expect((await keysAt(t1).current()).kid).toBe(rotation.kid);
    expect(await kidsInJwks()).toEqual(expect.arrayContaining([oldKid, rotation.kid]));
    const fresh = keysAt(t1);
    const jwt = await new TokenSigner(fresh).sign(
      { sub: 'b', exp: Math.floor(Date.now() / 1000) + 60 },
      { typ: 'at+jwt' },
    );
    expect(kidOf(jwt)).toBe(rotation.kid);
    await expect(jwtVerify(jwt, createLocalJWKSet(await jwks()))).resolves.toBeTruthy();

    // Once the longest token the old key signed has expired, the old key is retired and leaves /jwks.
    const { maxTokenLifetimeMs } = h.app.get<SigningKeySettings>(SIGNING_KEY_SETTINGS);
    await keysAt(new Date(t1.getTime() + maxTokenLifetimeMs - 60_000)).tick();
    expect(await kidsInJwks()).toContain(oldKid);
    await keysAt(new Date(t1.getTime() + maxTokenLifetimeMs + 1000)).tick();
    expect(await kidsInJwks()).toEqual([rotation.kid]);
  });

  it('never writes a private key to the log; the private half is only sealed in token.signing_keys', async () => {
    const events = await db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM eventlog.events WHERE stream_id LIKE 'signingkey-%'`,
    );
    const created = events.filter((e) => e.type === SIGNING_KEY_CREATED);
    expect(created.length).toBeGreaterThanOrEqual(2);
    const vault = new SigningKeyVault(new KeyEncryptionKey(h.kek), 'token');
    const all = JSON.stringify(events.map((e) => e.data));
    for (const e of created) {
      const jwk = e.data.publicJwk as Record<string, unknown>;
      for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(m);
      const priv = await vault.load(db, String(e.data.kid));
      expect(typeof priv.d).toBe('string');
      expect(all).not.toContain(priv.d);
    }
    const rows = await db.query<{ ciphertext: Uint8Array }>('SELECT ciphertext FROM token.signing_keys');
    expect(rows.length).toBe(created.length);
    for (const r of rows) expect(Buffer.from(r.ciphertext).toString('utf8')).not.toContain('"d"');
    // The wrong KEK opens nothing.
    await expect(
      new SigningKeyVault(new KeyEncryptionKey(randomBytes(32)), 'token').load(db, String(created[0].data.kid)),
    ).rejects.toThrow();
  });

  it('serves both discovery documents from the issuer', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const res = await h.request({ method: 'GET', url: path });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({
        issuer: ISSUER,
        jwks_uri: `${ISSUER}/jwks`,
        token_endpoint: `${ISSUER}/oauth/token`,
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        scopes_supported: expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']),
      });
    }
  });
});
