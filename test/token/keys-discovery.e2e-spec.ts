import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { allMigrations } from '../../apps/standalone/src/all-migrations';
import { kafkaBrokers, type TestDatabase } from '../support/infra';
import { createPlatformFixture, type PlatformFixture } from '../support/platform-fixture';
import { childEnv, freePort, get, ROOT, SpawnedApps, waitFor } from '../platform/spawned-process';

jest.setTimeout(180_000);

// Issue 3 §3, §4 on the compiled processes (`npm run build`): the token service on
// PostgreSQL + Kafka and the standalone process both serve RFC 8414 / OIDC
// discovery and /jwks; `tessera keys rotate` publishes a second key while the first stays.

const KEK = randomBytes(32).toString('base64');
let prefix: string;
let fixture: PlatformFixture | undefined;
const apps = new SpawnedApps();
let db: TestDatabase;

const start = (app: string, env: Record<string, string | undefined>) => apps.start(app, env);

function tessera(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tessera', ...args], { cwd: ROOT, env: childEnv(env) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  fixture = await createPlatformFixture('e2e_keys', allMigrations);
  db = fixture.database;
  prefix = fixture.topicPrefix;
});

afterAll(async () => {
  await apps.stopAll();
  await fixture?.drop();
});

async function checkDiscovery(base: string, issuer: string): Promise<JSONWebKeySet> {
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const answer = await get(`${base}${path}`);
    expect(answer?.status).toBe(200);
    const doc = JSON.parse(answer!.text);
    expect(doc).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/jwks`,
      registration_endpoint: `${issuer}/oauth/register`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    // What the token endpoint actually dispatches to.
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['client_credentials', 'refresh_token']));
    expect(doc.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
  }
  const jwks = await get(`${base}/jwks`);
  expect(jwks?.status).toBe(200);
  const set = JSON.parse(jwks!.text) as JSONWebKeySet;
  expect(set.keys.length).toBeGreaterThanOrEqual(1);
  for (const k of set.keys) expect(k).not.toHaveProperty('d');
  expect(() => createLocalJWKSet(set)).not.toThrow();
  return set;
}

it('the distributed token service serves discovery and /jwks; `tessera keys rotate` adds a key, the first stays', async () => {
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const proc = start('token', {
    PORT: String(port),
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TESSERA_KEK: KEK,
    TESSERA_ADMIN_TOKEN: `tsa_${randomBytes(32).toString('base64url')}`,
    TESSERA_TOPIC_PREFIX: prefix,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(proc, `${base}/health/ready`, (a) => a.status === 200);
  const first = await checkDiscovery(base, issuer);
  expect(first.keys).toHaveLength(1);

  const rotated = await tessera(['keys', 'rotate'], { DATABASE_URL: db.url, TESSERA_KEK: KEK });
  expect(rotated.code).toBe(0);
  const kid = /created and published signing key (\S+)/.exec(rotated.out)?.[1];
  expect(kid).toBeDefined();
  expect(rotated.out).not.toContain(KEK);
  const after = await waitFor(proc, `${base}/jwks`, (a) => JSON.parse(a.text).keys.length === 2, 45_000);
  const kids = (JSON.parse(after.text) as JSONWebKeySet).keys.map((k) => k.kid);
  expect(kids).toEqual(expect.arrayContaining([first.keys[0].kid, kid]));

  const wrongKek = await tessera(['keys', 'rotate'], { DATABASE_URL: db.url });
  expect(wrongKek.code).not.toBe(0);
  expect(wrongKek.out).toMatch(/TESSERA_KEK/);
  expect(proc.stdout + proc.stderr).not.toContain(KEK);
});

it('the standalone process serves discovery and /jwks on one port', async () => {
  const port = await freePort();
  const proc = start('standalone', { PORT: String(port), TESSERA_DATA_DIR: 'memory' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(proc, `${base}/health/ready`, (a) => a.status === 200);
  const set = await checkDiscovery(base, `http://localhost:${port}`);
  // DESIGN §5: the token, introspection and audit (issue 7: checkpoints) services each sign with a key of their own, all published.
  expect(set.keys).toHaveLength(3);
});
