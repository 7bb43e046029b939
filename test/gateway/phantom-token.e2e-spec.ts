import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { allMigrations } from '../../apps/standalone/src/all-migrations';
import { freePort, SpawnedApps, type SpawnedProcess, waitFor } from '../platform/spawned-process';
import { createPlatformFixture, type PlatformFixture } from '../support/platform-fixture';
import { type DemoApi, startDemoApi } from './demo-api';
import { type GatewayVars, NginxGateway, newGatewaySecret } from './nginx-gateway';

jest.setTimeout(180_000);

// Issue 4 "Tests": a REAL nginx (deploy/nginx, rendered) in front of the compiled services
// (`npm run build`) and a demo API. The client gets an opaque token through nginx, calls /api/demo/…
// through nginx; the API receives and verifies an RFC 9068 JWT against /jwks and never sees the opaque
// token; the client never sees the JWT; after revocation the next call is refused. Both modes:
// distributed (token + introspection processes on PostgreSQL + Kafka) and standalone (one process).

const KEK = randomBytes(32).toString('base64');
const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const GATEWAY_SECRET = newGatewaySecret();
const SCOPE = 'demo_read';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;

const apps = new SpawnedApps();
let fixture: PlatformFixture | undefined;
let gateway: NginxGateway | undefined;
let demo: DemoApi | undefined;

afterEach(async () => {
  await gateway?.stop();
  await demo?.close();
  gateway = undefined;
  demo = undefined;
});

afterAll(async () => {
  await apps.stopAll();
  await fixture?.drop();
});

/** nginx's port is the issuer's, so it is chosen first; the demo API knows it before nginx runs. */
async function startGatewayAndApi(
  upstreams: Omit<
    GatewayVars,
    'TESSERA_GATEWAY_LISTEN' | 'TESSERA_DEMO_API_UPSTREAM' | 'TESSERA_DEMO_API_AUDIENCE' | 'TESSERA_GATEWAY_SECRET'
  >,
  nginxPort: number,
  cacheSeconds = 0,
) {
  const issuer = `http://127.0.0.1:${nginxPort}`;
  const audience = `${issuer}/api/demo`;
  demo = await startDemoApi({ jwksUrl: `${issuer}/jwks`, issuer, audience });
  gateway = await NginxGateway.start({
    ...upstreams,
    TESSERA_GATEWAY_LISTEN: `127.0.0.1:${nginxPort}`,
    TESSERA_DEMO_API_UPSTREAM: `127.0.0.1:${demo.port}`,
    TESSERA_DEMO_API_AUDIENCE: audience,
    TESSERA_PHANTOM_CACHE_SECONDS: String(cacheSeconds),
    TESSERA_GATEWAY_SECRET: GATEWAY_SECRET,
  });
  return { issuer, audience, demo, gateway };
}

async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const headers = Object.fromEntries(res.headers.entries());
  return { status: res.status, headers, text };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** RFC 7591 registration through nginx with the admin token as initial access token. */
async function register(issuer: string, metadata: Record<string, unknown>) {
  const res = await call(`${issuer}/oauth/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_types: ['client_credentials'], scope: SCOPE, ...metadata }),
  });
  expect(res.status).toBe(201);
  return JSON.parse(res.text) as { client_id: string; client_secret: string };
}

/** Client credentials through nginx (client_secret_post). */
async function clientCredentials(issuer: string, client: { client_id: string; client_secret: string }, extra = {}) {
  const res = await call(`${issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, ...client, ...extra }).toString(),
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as { access_token: string; expires_in: number };
}

/**
 * The whole phantom token flow through nginx; both modes run it. `service` is the introspection
 * service's own base URL (its port, reachable without nginx: as any pod reaches a Kubernetes Service).
 */
async function phantomTokenFlow(
  issuer: string,
  audience: string,
  api: DemoApi,
  processes: SpawnedProcess[],
  service: string,
) {
  // Through nginx: a scope, then an API client allowed to target the demo API (RFC 8707 resource).
  const scope = await call(`${issuer}/admin/scopes/${SCOPE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'Read the demo API', claims: [] }),
  });
  expect(scope.status).toBe(200);
  const client = await register(issuer, {
    grant_types: ['client_credentials', TOKEN_EXCHANGE],
    token_endpoint_auth_method: 'client_secret_post',
    token_exchange_policy: { [audience]: SCOPE },
  });
  const { access_token: opaque } = await clientCredentials(issuer, client, { resource: audience });
  expect(opaque).toMatch(/^tsr_at_/);

  // The gateway lets the opaque token through as a JWT the API verified (any method, any body).
  const first = await call(`${issuer}/api/demo/orders?page=1`, { headers: bearer(opaque) });
  expect(first.status).toBe(200);
  const answer = JSON.parse(first.text) as { path: string; claims: Record<string, unknown> };
  expect(answer.path).toBe('/orders?page=1');
  expect(answer.claims).toMatchObject({
    iss: issuer,
    aud: audience,
    sub: client.client_id,
    client_id: client.client_id,
    scope: SCOPE,
  });
  const claims = answer.claims as { iat: number; exp: number; jti: string };
  expect(claims.exp - claims.iat).toBeGreaterThan(0);
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
  const posted = await call(`${issuer}/api/demo/orders`, {
    method: 'POST',
    headers: { ...bearer(opaque), 'content-type': 'application/json' },
    body: JSON.stringify({ item: 'book' }),
  });
  expect(posted.status).toBe(200);
  expect(JSON.parse(posted.text)).toMatchObject({ method: 'POST', claims: { client_id: client.client_id } });

  // What the API saw: JWTs (RFC 9068 header), never the opaque token; the client saw no JWT.
  const seen = api.requests.map((r) => r.authorization ?? '');
  expect(seen).toHaveLength(2);
  // The second call got the JWT minted for the first (same token and audience), after introspection.
  expect(seen[1]).toBe(seen[0]);
  for (const authorization of seen) {
    const jwt = authorization.replace(/^Bearer /, '');
    expect(decodeProtectedHeader(jwt)).toMatchObject({ typ: 'at+jwt', kid: expect.any(String) });
    expect(decodeJwt(jwt).aud).toBe(audience);
    for (const res of [first, posted]) {
      expect(res.text).not.toContain(jwt);
      expect(JSON.stringify(res.headers)).not.toContain(jwt);
    }
  }
  expect(api.sawOpaqueToken()).toBe(false);
  for (const res of [first, posted]) expect(JSON.stringify(res)).not.toMatch(JWT_SHAPE);

  // Refusals: 401 with the RFC 6750 §3 challenge from the phantom endpoint; the API is never called.
  const before = api.requests.length;
  const none = await call(`${issuer}/api/demo/orders`);
  expect(none.status).toBe(401);
  expect(none.headers['www-authenticate']).toBe('Bearer realm="tessera"');
  const garbage = await call(`${issuer}/api/demo/orders`, {
    headers: bearer(`tsr_at_${randomBytes(32).toString('base64url')}`),
  });
  expect(garbage.status).toBe(401);
  expect(garbage.headers['www-authenticate']).toBe('Bearer realm="tessera", error="invalid_token"');
  expect((await call(`${issuer}/api/demo/orders`, { headers: { authorization: 'Basic YTpi' } })).status).toBe(401);

  // A JWT-format access token, valid elsewhere, is refused at the gateway: clients present opaque tokens.
  const jwtClient = await register(issuer, {
    grant_types: ['client_credentials', TOKEN_EXCHANGE],
    token_endpoint_auth_method: 'client_secret_post',
    token_exchange_policy: { [audience]: SCOPE },
    access_token_format: 'jwt',
  });
  const { access_token: jwtToken } = await clientCredentials(issuer, jwtClient, { resource: audience });
  expect(jwtToken).toMatch(JWT_SHAPE);
  const jwtAtGateway = await call(`${issuer}/api/demo/orders`, { headers: bearer(jwtToken) });
  expect(jwtAtGateway.status).toBe(401);
  expect(jwtAtGateway.headers['www-authenticate']).toContain('error="invalid_token"');

  // A live token for another audience (the issuer) is refused too.
  const otherClient = await register(issuer, { token_endpoint_auth_method: 'client_secret_post' });
  const { access_token: otherAudience } = await clientCredentials(issuer, otherClient);
  expect((await call(`${issuer}/api/demo/orders`, { headers: bearer(otherAudience) })).status).toBe(401);
  expect(api.requests.length).toBe(before);

  // The phantom endpoint is not public, under either name.
  for (const path of ['/gateway/phantom', '/_tessera/phantom']) {
    expect((await call(`${issuer}${path}`, { headers: bearer(opaque) })).status).toBe(404);
  }
  // Nor on the service's own port: with a live opaque token but without the gateway secret (or with a
  // wrong one) it answers 403 and no JWT, so reaching the service is not enough to get one.
  for (const secret of [undefined, newGatewaySecret(), '', `${GATEWAY_SECRET}x`]) {
    const direct = await call(`${service}/gateway/phantom`, {
      headers: {
        ...bearer(opaque),
        'x-tessera-audience': audience,
        ...(secret === undefined ? {} : { 'x-tessera-gateway-secret': secret }),
      },
    });
    expect(direct.status).toBe(403);
    expect(direct.headers['authorization']).toBeUndefined();
    expect(JSON.stringify(direct)).not.toMatch(JWT_SHAPE);
  }
  // The same request with nginx's secret is what nginx sends: it gets the JWT (the control case).
  const asGateway = await call(`${service}/gateway/phantom`, {
    headers: { ...bearer(opaque), 'x-tessera-audience': audience, 'x-tessera-gateway-secret': GATEWAY_SECRET },
  });
  expect(asGateway.status).toBe(200);
  expect(asGateway.headers['authorization']).toMatch(JWT_SHAPE);

  // RFC 7009 revocation through nginx: the next call is refused (no nginx cache: at once, give or take
  // the revocation reaching the introspection read model).
  const revoked = await call(`${issuer}/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: opaque, ...client }).toString(),
  });
  expect(revoked.status).toBe(200);
  const revokedAt = Date.now();
  let status = 0;
  while (Date.now() - revokedAt < 5_000) {
    status = (await call(`${issuer}/api/demo/orders`, { headers: bearer(opaque) })).status;
    if (status === 401) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(status).toBe(401);
  expect(Date.now() - revokedAt).toBeLessThan(5_000);

  // No token value in any log: the services', nginx's.
  const logs = processes.map((p) => p.stdout + p.stderr).join('\n') + gateway!.logs();
  const asGatewayJwt = asGateway.headers['authorization'].replace(/^Bearer /, '');
  for (const secret of [
    opaque,
    jwtToken,
    otherAudience,
    GATEWAY_SECRET,
    asGatewayJwt,
    ...seen.map((s) => s.replace(/^Bearer /, '')),
  ]) {
    expect(logs).not.toContain(secret);
  }
}

describe('phantom token gateway, distributed (token + introspection on PostgreSQL + Kafka)', () => {
  it('swaps the opaque token for a verified JWT, refuses bad tokens, and revocation at once', async () => {
    fixture = await createPlatformFixture('e2e_gateway', allMigrations);
    const [nginxPort, tokenPort, introspectionPort, unused] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const issuer = `http://127.0.0.1:${nginxPort}`;
    const { token, introspection } = await apps.startReady(
      { token: tokenPort, introspection: introspectionPort },
      fixture.env({
        TESSERA_KEK: KEK,
        TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
        TESSERA_ISSUER: issuer,
        TESSERA_GATEWAY_SECRET: GATEWAY_SECRET,
        TESSERA_LOG_LEVEL: 'warn',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      }),
    );

    // Services nobody runs here answer 502 through nginx; they are not on this path.
    const nowhere = `127.0.0.1:${unused}`;
    const { audience, demo: api } = await startGatewayAndApi(
      {
        TESSERA_AUTHENTICATION_UPSTREAM: nowhere,
        TESSERA_TOKEN_UPSTREAM: `127.0.0.1:${tokenPort}`,
        TESSERA_INTROSPECTION_UPSTREAM: `127.0.0.1:${introspectionPort}`,
        TESSERA_CONSENT_UPSTREAM: nowhere,
        TESSERA_AUDIT_UPSTREAM: nowhere,
      },
      nginxPort,
    );
    expect(audience).toBe(`${issuer}/api/demo`);
    await phantomTokenFlow(issuer, audience, api, [token, introspection], `http://127.0.0.1:${introspectionPort}`);

    // Operators see the gateway's decisions on the service's own /metrics (not on the public URL).
    const metrics = await call(`http://127.0.0.1:${introspectionPort}/metrics`);
    expect(metrics.text).toMatch(/tessera_gateway_phantom_decisions_total\{[^}]*outcome="minted"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/tessera_gateway_phantom_decisions_total\{[^}]*outcome="jwt_presented"[^}]*\} 1/);
    expect((await call(`${issuer}/metrics`)).status).toBe(404);
  });
});

describe('phantom token gateway, standalone (npm start behind the same nginx configuration)', () => {
  let standalone: SpawnedProcess;
  let issuer: string;
  let nginxPort: number;
  let service: string;
  let upstreams: Parameters<typeof startGatewayAndApi>[0];

  beforeAll(async () => {
    const [gatewayPort, port] = await Promise.all([freePort(), freePort()]);
    nginxPort = gatewayPort;
    issuer = `http://127.0.0.1:${nginxPort}`;
    standalone = apps.start('standalone', {
      PORT: String(port),
      TESSERA_DATA_DIR: 'memory',
      TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
      TESSERA_ISSUER: issuer,
      TESSERA_GATEWAY_SECRET: GATEWAY_SECRET,
      TESSERA_LOG_LEVEL: 'warn',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    service = `http://127.0.0.1:${port}`;
    await waitFor(standalone, `http://127.0.0.1:${port}/health/ready`, (a) => a.status === 200, 90_000);
    const one = `127.0.0.1:${port}`;
    upstreams = {
      TESSERA_AUTHENTICATION_UPSTREAM: one,
      TESSERA_TOKEN_UPSTREAM: one,
      TESSERA_INTROSPECTION_UPSTREAM: one,
      TESSERA_CONSENT_UPSTREAM: one,
      TESSERA_AUDIT_UPSTREAM: one,
    };
  });

  it('swaps the opaque token for a verified JWT, refuses bad tokens, and revocation at once', async () => {
    const { audience, demo: api } = await startGatewayAndApi(upstreams, nginxPort);
    await phantomTokenFlow(issuer, audience, api, [standalone], service);
  });

  it('with the nginx cache on, a revoked token works for at most TESSERA_PHANTOM_CACHE_SECONDS more', async () => {
    const cacheSeconds = 5;
    const { audience, demo: api } = await startGatewayAndApi(upstreams, nginxPort, cacheSeconds);
    const client = await register(issuer, {
      grant_types: ['client_credentials', TOKEN_EXCHANGE],
      token_endpoint_auth_method: 'client_secret_post',
      token_exchange_policy: { [audience]: SCOPE },
    });
    const { access_token: opaque } = await clientCredentials(issuer, client, { resource: audience });
    const cachedAt = Date.now();
    expect((await call(`${issuer}/api/demo/a`, { headers: bearer(opaque) })).status).toBe(200);
    const revoked = await call(`${issuer}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: opaque, ...client }).toString(),
    });
    expect(revoked.status).toBe(200);
    // The documented staleness: nginx answers from its cache without asking the introspection service.
    expect((await call(`${issuer}/api/demo/b`, { headers: bearer(opaque) })).status).toBe(200);
    expect(Date.now() - cachedAt).toBeLessThan(cacheSeconds * 1000);
    let status = 200;
    while (status === 200 && Date.now() - cachedAt < (cacheSeconds + 5) * 1000) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call(`${issuer}/api/demo/c`, { headers: bearer(opaque) })).status;
    }
    expect(status).toBe(401);
    // Bounded by the cache validity (whole seconds from when nginx stored the answer), plus slack for a busy machine.
    expect(Date.now() - cachedAt).toBeLessThan((cacheSeconds + 3) * 1000);
    expect(api.sawOpaqueToken()).toBe(false);
  });
});
