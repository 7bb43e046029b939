import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import { ScopeCatalog } from './scope.catalog';

jest.setTimeout(120_000);

// Issue 3 §2: /admin/scopes/{name} with the admin token, in both modes.

describe.each(['distributed', 'standalone'] as const)('admin scopes (%s)', (mode) => {
  let app: TokenTestApp;
  const admin = () => ({ authorization: `Bearer ${app.adminToken}` });
  const put = (name: string, payload: unknown, headers: Record<string, string> = admin()) =>
    app.request({ method: 'PUT', url: `/admin/scopes/${name}`, headers, payload });

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('defines, reads, redefines and deletes a scope; the catalog sees it at once', async () => {
    const created = await put('orders_read', { description: 'Read your orders', claims: ['account_nr'] });
    expect(created.status).toBe(200);
    expect(created.json()).toEqual({
      name: 'orders_read',
      description: 'Read your orders',
      requiredClaims: ['account_nr'],
      builtIn: false,
    });

    const catalog = app.get<ScopeCatalog>(ScopeCatalog);
    expect(await catalog.get(['orders_read', 'openid', 'nope'])).toEqual([
      { name: 'orders_read', description: 'Read your orders', requiredClaims: ['account_nr'], builtIn: false },
      expect.objectContaining({ name: 'openid', builtIn: true }),
    ]);

    const read = await app.request({ method: 'GET', url: '/admin/scopes/orders_read', headers: admin() });
    expect(read.status).toBe(200);
    expect(read.json().requiredClaims).toEqual(['account_nr']);

    // Same definition again: no new event (STYLE 4).
    await put('orders_read', { description: 'Read your orders', claims: ['account_nr'] });
    const redefined = await put('orders_read', { description: 'Read orders', claims: ['account_nr', 'region'] });
    expect(redefined.json().requiredClaims).toEqual(['account_nr', 'region']);
    const events = await app.db.query<{ type: string }>(
      "SELECT type FROM eventlog.events WHERE stream_id = 'scope-orders_read' ORDER BY stream_version",
    );
    expect(events.map((e) => e.type)).toEqual(['scope.defined', 'scope.defined']);

    expect((await app.request({ method: 'DELETE', url: '/admin/scopes/orders_read', headers: admin() })).status).toBe(
      204,
    );
    const gone = await app.request({ method: 'DELETE', url: '/admin/scopes/orders_read', headers: admin() });
    expect(gone.status).toBe(404);
    expect(await catalog.get(['orders_read'])).toEqual([]);
  });

  it('lists built-ins and defined scopes', async () => {
    await put('invoices_read', { description: 'Read invoices', claims: [] });
    const deadline = Date.now() + 10_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      const res = await app.request({ method: 'GET', url: '/admin/scopes', headers: admin() });
      names = (res.json().scopes as { name: string }[]).map((s) => s.name);
      if (names.includes('invoices_read')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(names).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'invoices_read']));
  });

  it('refuses without the admin token: 401 invalid_token with WWW-Authenticate: Bearer', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      for (const res of [
        await put('x', { description: 'x' }, headers),
        await app.request({ method: 'GET', url: '/admin/scopes/openid', headers }),
        await app.request({ method: 'DELETE', url: '/admin/scopes/x', headers }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.json().error).toBe('invalid_token');
        expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer realm="tessera"/);
      }
    }
  });

  it('rejects bad bodies and names with invalid_request, built-ins are read-only, unknown is 404', async () => {
    for (const body of [
      {},
      { description: '' },
      { description: 'x', claims: 'a' },
      { description: 'x', claims: [1] },
      [1],
      { description: 'x', claims: ['a', 'a'] },
    ]) {
      const res = await put('good_name', body);
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('invalid_request');
    }
    expect((await put('bad%22name', { description: 'x' })).status).toBe(400);
    expect((await put('openid', { description: 'mine' })).status).toBe(400);
    expect((await app.request({ method: 'DELETE', url: '/admin/scopes/email', headers: admin() })).status).toBe(400);
    const missing = await app.request({ method: 'GET', url: '/admin/scopes/never_defined', headers: admin() });
    expect(missing.status).toBe(404);
    expect(missing.json().error).toBe('not_found');
    const openid = await app.request({ method: 'GET', url: '/admin/scopes/openid', headers: admin() });
    expect(openid.json()).toMatchObject({ name: 'openid', builtIn: true });
  });
});
