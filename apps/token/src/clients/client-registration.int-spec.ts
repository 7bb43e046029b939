import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import { ClientAuthenticator } from './client.authenticator';

jest.setTimeout(120_000);

// Issue 3 §1 through the HTTP surface on the real database of each mode:
// RFC 7591 registration with the admin token, RFC 7592 read/update/delete with
// the registration access token, bad input never a 500, no secret in the log.

describe.each(['distributed', 'standalone'] as const)('client registration (%s)', (mode) => {
  let app: TokenTestApp;
  const admin = () => ({ authorization: `Bearer ${app.adminToken}` });
  const register = (payload: unknown, headers: Record<string, string> = admin()) =>
    app.request({ method: 'POST', url: '/oauth/register', headers, payload });

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('registers a machine client: 201, secret shown once, no-store, defaults applied', async () => {
    const res = await register({ grant_types: ['client_credentials'], scope: 'orders_read', client_name: 'billing' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({
      client_id: expect.stringMatching(/^[\w-]{22}$/),
      client_secret: expect.stringMatching(/^[\w-]{43}$/),
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^[\w-]{43}$/),
      registration_client_uri: `https://issuer.example/oauth/register/${String(body.client_id)}`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      access_token_format: 'reference',
      scope: 'orders_read',
      client_name: 'billing',
    });
    expect(Math.abs(Number(body.client_id_issued_at) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('refuses registration without, or with a wrong, initial access token (RFC 7591 §3: 401 invalid_token)', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Basic ${app.adminToken}` },
    ];
    for (const headers of attempts) {
      const res = await register({ grant_types: ['client_credentials'] }, headers);
      expect(res.status).toBe(401);
      expect(res.json().error).toBe('invalid_token');
      expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer/);
    }
  });

  it.each([
    ['an unsupported grant', { grant_types: ['password'] }, 'invalid_client_metadata'],
    [
      'private_key_jwt',
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    ],
    ['an http redirect URI', { redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri'],
    ['a fragment', { redirect_uris: ['https://app.example/cb#f'] }, 'invalid_redirect_uri'],
    ['a JSON array body', [1, 2], 'invalid_client_metadata'],
    [
      'a token_exchange_policy without its grant',
      { grant_types: ['client_credentials'], token_exchange_policy: { a: 'b' } },
      'invalid_client_metadata',
    ],
  ])('rejects %s with 400 %s', async (_case, payload, error) => {
    const res = await register(payload);
    expect(res.status).toBe(400);
    expect(res.json().error).toBe(error);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('rejects a JSON body that is not an object with invalid_client_metadata', async () => {
    for (const payload of ['"just a string"', 'null', '42']) {
      const res = await app.request({
        method: 'POST',
        url: '/oauth/register',
        headers: { ...admin(), 'content-type': 'application/json' },
        payload,
      });
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('invalid_client_metadata');
    }
  });

  it('answers malformed JSON, duplicate keys and oversized bodies with 4xx, never 500', async () => {
    const malformed = await app.request({
      method: 'POST',
      url: '/oauth/register',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: '{"grant_types": [',
    });
    expect(malformed.status).toBe(400);
    const duplicate = await app.request({
      method: 'POST',
      url: '/oauth/register',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: '{"grant_types":["client_credentials"],"scope":"a","scope":"b"}',
    });
    expect(duplicate.status).toBe(400);
    const huge = await register({ grant_types: ['client_credentials'], client_name: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    const wrongType = await app.request({
      method: 'POST',
      url: '/oauth/register',
      headers: { ...admin(), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(wrongType.status).toBeGreaterThanOrEqual(400);
    expect(wrongType.status).toBeLessThan(500);
  });

  it('reads, updates and deletes with the registration access token (RFC 7592)', async () => {
    const created = (await register({ grant_types: ['client_credentials'], scope: 'a' })).json();
    const id = String(created.client_id);
    const url = `/oauth/register/${id}`;
    const bearer = (t: unknown) => ({ authorization: `Bearer ${String(t)}` });

    const read = await app.request({ method: 'GET', url, headers: bearer(created.registration_access_token) });
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ client_id: id, scope: 'a', client_secret_expires_at: 0 });
    expect(read.json()).not.toHaveProperty('client_secret');
    // RFC 7592 §3: the token is reissued; the old one is dead.
    const token2 = read.json().registration_access_token;
    expect(token2).not.toBe(created.registration_access_token);
    expect((await app.request({ method: 'GET', url, headers: bearer(created.registration_access_token) })).status).toBe(
      401,
    );

    const bad = await app.request({
      method: 'PUT',
      url,
      headers: bearer(token2),
      payload: { client_id: id, grant_types: ['nope'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toBe('invalid_client_metadata');

    const updated = await app.request({
      method: 'PUT',
      url,
      headers: bearer(token2),
      payload: { client_id: id, grant_types: ['client_credentials'], scope: 'a b', access_token_format: 'jwt' },
    });
    expect(updated.status).toBe(200);
    expect(updated.json()).toMatchObject({ client_id: id, scope: 'a b', access_token_format: 'jwt' });
    const token3 = updated.json().registration_access_token;

    const wrongId = await app.request({
      method: 'PUT',
      url,
      headers: bearer(token3),
      payload: { client_id: 'other', grant_types: ['client_credentials'] },
    });
    expect(wrongId.status).toBe(400);

    // The client authenticates at once (read-through) and sees the update.
    const authenticator = app.get<ClientAuthenticator>(ClientAuthenticator);
    const basic = `Basic ${Buffer.from(`${id}:${String(created.client_secret)}`).toString('base64')}`;
    expect((await authenticator.authenticate({ authorization: basic }, {})).scopes).toEqual(['a', 'b']);

    expect((await app.request({ method: 'DELETE', url, headers: bearer('wrong') })).status).toBe(401);
    expect((await app.request({ method: 'DELETE', url, headers: bearer(token3) })).status).toBe(204);
    expect((await app.request({ method: 'GET', url, headers: bearer(token3) })).status).toBe(401);
    await expect(authenticator.authenticate({ authorization: basic }, {})).rejects.toMatchObject({
      error: 'invalid_client',
    });
    // An unknown client answers like a wrong token (RFC 7592 §2.1).
    const unknown = await app.request({ method: 'GET', url: '/oauth/register/unknown', headers: bearer(token3) });
    expect(unknown.status).toBe(401);
    expect(unknown.json().error).toBe('invalid_token');
  });

  it('registers resource_identifiers, returns them on RFC 7591/7592 reads, and lets an update drop but not add one', async () => {
    const orders = 'https://orders.example/api';
    const billing = 'urn:tessera:billing';
    const bearer = (t: unknown) => ({ authorization: `Bearer ${String(t)}` });
    const created = await register({ grant_types: ['client_credentials'], resource_identifiers: [orders, billing] });
    expect(created.status).toBe(201);
    expect(created.json().resource_identifiers).toEqual([orders, billing]);
    const id = String(created.json().client_id);
    const url = `/oauth/register/${id}`;

    const read = await app.request({ method: 'GET', url, headers: bearer(created.json().registration_access_token) });
    expect(read.json().resource_identifiers).toEqual([orders, billing]);
    const authenticator = app.get<ClientAuthenticator>(ClientAuthenticator);
    const basic = `Basic ${Buffer.from(`${id}:${String(created.json().client_secret)}`).toString('base64')}`;
    expect((await authenticator.authenticate({ authorization: basic }, {})).resourceIdentifiers).toEqual([
      orders,
      billing,
    ]);

    // RFC 7592: the client's own registration access token may not widen what it may introspect.
    let token = read.json().registration_access_token;
    const widen = await app.request({
      method: 'PUT',
      url,
      headers: bearer(token),
      payload: {
        client_id: id,
        grant_types: ['client_credentials'],
        resource_identifiers: [orders, 'https://x.example'],
      },
    });
    expect(widen.status).toBe(400);
    expect(widen.json().error).toBe('invalid_client_metadata');
    token = (await app.request({ method: 'GET', url, headers: bearer(token) })).json().registration_access_token;
    const narrow = await app.request({
      method: 'PUT',
      url,
      headers: bearer(token),
      payload: { client_id: id, grant_types: ['client_credentials'], resource_identifiers: [billing] },
    });
    expect(narrow.status).toBe(200);
    expect(narrow.json().resource_identifiers).toEqual([billing]);
    expect((await authenticator.authenticate({ authorization: basic }, {})).resourceIdentifiers).toEqual([billing]);

    for (const bad of [['/relative'], ['https://orders.example/api#frag'], ['https://issuer.example'], 'urn:x']) {
      const res = await register({ grant_types: ['client_credentials'], resource_identifiers: bad });
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('invalid_client_metadata');
    }
  });

  it('keeps every secret and registration token out of the log', async () => {
    const created = (await register({ grant_types: ['client_credentials'] })).json();
    const events = await app.db.query<{ type: string; data: unknown; metadata: unknown }>(
      'SELECT type, data, metadata FROM eventlog.events',
    );
    expect(events.map((e) => e.type)).toContain('client.registered');
    const dump = JSON.stringify(events);
    expect(dump).toContain(String(created.client_id));
    for (const secret of [created.client_secret, created.registration_access_token]) {
      expect(dump).not.toContain(String(secret));
      expect(dump).not.toContain(require('node:crypto').createHash('sha256').update(String(secret)).digest('hex'));
      expect(dump).not.toContain(require('node:crypto').createHash('sha256').update(String(secret)).digest('base64'));
    }
    const [row] = await app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM token.client_secrets WHERE client_id = $1',
      [created.client_id],
    );
    expect(row.n).toBe(1);
  });
});
