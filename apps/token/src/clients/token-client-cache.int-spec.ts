import { clientStream } from '@tessera/contracts';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import { TokenClientAuthenticator } from './token-client.authenticator';

jest.setTimeout(120_000);

// Issue 3 speed: the token endpoint authenticates clients from a per-process
// cache, guarded by the client stream's version in the token's append. A client
// changed or deleted after it was cached must count at once. Both modes.

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

describe.each(['distributed', 'standalone'] as const)('token endpoint client cache (%s)', (mode) => {
  let app: TokenTestApp;
  const admin = () => ({ authorization: `Bearer ${app.adminToken}` });
  const bearer = (t: unknown) => ({ authorization: `Bearer ${String(t)}` });

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function register(metadata: Record<string, unknown>) {
    const res = await app.json('POST', '/oauth/register', metadata, admin());
    expect(res.status).toBe(201);
    const body = res.json();
    return { id: String(body.client_id), secret: String(body.client_secret), rat: body.registration_access_token };
  }
  const token = (id: string, secret: string, scope = 'read') =>
    app.form('/oauth/token', { grant_type: 'client_credentials', scope }, basic(id, secret));

  it('serves a cached client with a guard at its stream version', async () => {
    const c = await register({ grant_types: ['client_credentials'], scope: 'read' });
    expect((await token(c.id, c.secret)).status).toBe(200);
    const auth = app.get<TokenClientAuthenticator>(TokenClientAuthenticator);
    const again = await auth.authenticate(basic(c.id, c.secret), {});
    expect(again).toMatchObject({ cached: true, guard: { streamId: clientStream(c.id), version: 1 } });
  });

  it('an update after caching counts on the next token (the stale guard fails, the endpoint re-reads)', async () => {
    const c = await register({ grant_types: ['client_credentials'], scope: 'read', access_token_format: 'reference' });
    const before = await token(c.id, c.secret);
    expect(before.status).toBe(200);
    expect(String(before.json().access_token)).toMatch(/^tsr_at_/);
    const updated = await app.request({
      method: 'PUT',
      url: `/oauth/register/${c.id}`,
      headers: bearer(c.rat),
      payload: {
        client_id: c.id,
        grant_types: ['client_credentials'],
        scope: 'read write',
        access_token_format: 'jwt',
      },
    });
    expect(updated.status).toBe(200);
    // The cache still holds the reference-format client at version 1; the token must follow version 2.
    // Same scope: nothing refuses from the cache, only the guard can tell the client changed.
    const after = await token(c.id, c.secret, 'read');
    expect(after.status).toBe(200);
    expect(String(after.json().access_token).split('.')).toHaveLength(3);
  });

  it('a deleted client is refused at once, and no token is logged for it after the delete', async () => {
    const c = await register({ grant_types: ['client_credentials'], scope: 'read' });
    expect((await token(c.id, c.secret)).status).toBe(200);
    const issuedBefore = (await app.loggedEvents()).filter((e) => e.type === 'access-token.issued').length;
    const del = await app.request({ method: 'DELETE', url: `/oauth/register/${c.id}`, headers: bearer(c.rat) });
    expect(del.status).toBe(204);
    const res = await token(c.id, c.secret);
    expect(res.status).toBe(401);
    expect(res.json().error).toBe('invalid_client');
    const issuedAfter = (await app.loggedEvents()).filter((e) => e.type === 'access-token.issued').length;
    expect(issuedAfter).toBe(issuedBefore);
  });

  it('the old secret fails on the very next request after a rotation, the new one works', async () => {
    const c = await register({ grant_types: ['client_credentials'], scope: 'read' });
    expect((await token(c.id, c.secret)).status).toBe(200);
    const rotated = await app.request({ method: 'POST', url: `/admin/clients/${c.id}/secret`, headers: admin() });
    expect(rotated.status).toBe(201);
    // The cache still holds the old hash: only the guard refuses the old secret.
    expect((await token(c.id, c.secret)).status).toBe(401);
    expect((await token(c.id, String(rotated.json().client_secret))).status).toBe(200);
  });
});
