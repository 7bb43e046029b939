import { ClientEvents, clientStream } from '@tessera/contracts';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';

jest.setTimeout(120_000);

// Issue 3 §1 "secret rotated": POST /admin/clients/:client_id/secret (admin token)
// answers the new secret once; the old one stops working at once. Both modes.

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

describe.each(['distributed', 'standalone'] as const)('client secret rotation (%s)', (mode) => {
  let app: TokenTestApp;
  const admin = () => ({ authorization: `Bearer ${app.adminToken}` });

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function register(metadata: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const res = await app.json('POST', '/oauth/register', metadata, admin());
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  }
  const tokenStatus = async (id: string, secret: string) =>
    (await app.form('/oauth/token', { grant_type: 'client_credentials', scope: 'read' }, basic(id, secret))).status;

  it('returns a new secret once (201, no-store); the old secret fails at once, the new one works', async () => {
    const client = await register({ grant_types: ['client_credentials'], scope: 'read' });
    expect(await tokenStatus(client.id, client.secret)).toBe(200);

    const res = await app.request({ method: 'POST', url: `/admin/clients/${client.id}/secret`, headers: admin() });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({
      client_id: client.id,
      client_secret: expect.stringMatching(/^\S{40,}$/),
      client_secret_expires_at: 0,
    });
    const fresh = String(body.client_secret);
    expect(fresh).not.toBe(client.secret);

    expect(await tokenStatus(client.id, client.secret)).toBe(401);
    expect(await tokenStatus(client.id, fresh)).toBe(200);

    const events = await app.store.readStream(clientStream(client.id));
    expect(events.map((e) => e.type)).toEqual([ClientEvents.registered, ClientEvents.secretRotated]);
    // No secret, nor any part of it, in the event (DESIGN §2).
    expect(JSON.stringify(events)).not.toContain(fresh);
  });

  it('needs the admin token, and refuses unknown clients and clients without a secret', async () => {
    const client = await register({ grant_types: ['client_credentials'], scope: 'read' });
    const noAuth = await app.request({ method: 'POST', url: `/admin/clients/${client.id}/secret` });
    expect(noAuth.status).toBe(401);
    const wrong = await app.request({
      method: 'POST',
      url: `/admin/clients/${client.id}/secret`,
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect(await tokenStatus(client.id, client.secret)).toBe(200);

    const unknown = await app.request({
      method: 'POST',
      url: '/admin/clients/no-such-client/secret',
      headers: admin(),
    });
    expect(unknown.status).toBe(404);

    const publicClient = await register({
      redirect_uris: ['https://app.example/cb'],
      token_endpoint_auth_method: 'none',
    });
    const pub = await app.request({
      method: 'POST',
      url: `/admin/clients/${publicClient.id}/secret`,
      headers: admin(),
    });
    expect(pub.status).toBe(400);
    expect((await app.store.readStream(clientStream(publicClient.id))).map((e) => e.type)).toEqual([
      ClientEvents.registered,
    ]);
  });
});
