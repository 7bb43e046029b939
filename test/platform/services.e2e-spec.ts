import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@tessera/platform';
import { allMigrations } from '../../apps/standalone/src/all-migrations';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '../support/infra';
import { createPlatformFixture, type PlatformFixture } from '../support/platform-fixture';
import { freePort, get, SpawnedApps, waitFor } from './spawned-process';

jest.setTimeout(180_000);

// Issue 2 §1: each service boots on Fastify with /health/live, /health/ready and
// /metrics, validates its configuration and refuses to start naming the bad variable.
// Real PostgreSQL and real Kafka; the compiled apps (`npm run build`) are spawned.

const KEK = randomBytes(32).toString('base64');
const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
let prefix: string;
let fixture: PlatformFixture | undefined;
const apps = new SpawnedApps();
let db: TestDatabase;

const start = (app: string, env: Record<string, string | undefined>) => apps.start(app, env);

function distributedEnv(port: number, overrides: Record<string, string | undefined> = {}) {
  return {
    PORT: String(port),
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TESSERA_KEK: KEK,
    TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
    TESSERA_TOPIC_PREFIX: prefix,
    TESSERA_LOG_LEVEL: 'info',
    ...overrides,
  };
}

const ready = (a: { status: number }) => a.status === 200;

beforeAll(async () => {
  fixture = await createPlatformFixture('e2e_platform', allMigrations);
  db = fixture.database;
  prefix = fixture.topicPrefix;
});

afterAll(async () => {
  await apps.stopAll();
  await fixture?.drop();
});

describe('each distributed service', () => {
  it('boots, is live and ready on PostgreSQL + Kafka, serves Prometheus metrics, and stops on SIGTERM', async () => {
    const services = await Promise.all(
      SERVICE_NAMES.map(async (service) => {
        const port = await freePort();
        return { service, port, proc: start(service, distributedEnv(port)) };
      }),
    );
    for (const { service, port, proc } of services) {
      const base = `http://127.0.0.1:${port}`;
      const live = await waitFor(proc, `${base}/health/live`, (a) => a.status === 200);
      expect(JSON.parse(live.text)).toEqual({ status: 'ok' });

      const readiness = await waitFor(proc, `${base}/health/ready`, ready);
      const report = JSON.parse(readiness.text);
      expect(report.status).toBe('ok');
      expect(report.checks).toMatchObject({ database: { status: 'ok' }, bus: { status: 'ok' } });

      const metrics = await get(`${base}/metrics`);
      expect(metrics?.status).toBe(200);
      expect(metrics?.contentType).toContain('text/plain');
      expect(metrics?.text).toMatch(new RegExp(`^process_cpu_user_seconds_total\\{service="${service}"\\} `, 'm'));
      expect(metrics?.text).toMatch(/^tessera_http_request_duration_seconds_count\{.*route="\/health\/ready"/m);
      expect(metrics?.text).toMatch(/^tessera_relay_/m);

      // One JSON line says where it listens; no secret reaches the log.
      const lines = proc.stdout.split('\n').filter((l) => l.startsWith('{'));
      const listening = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'listening');
      expect(listening).toMatchObject({ service, url: `http://localhost:${port}` });
      expect(proc.stdout + proc.stderr).not.toContain(ADMIN_TOKEN);
      expect(proc.stdout + proc.stderr).not.toContain(KEK);
    }
    for (const { proc } of services) {
      const stopped = await proc.stop();
      expect(stopped.graceful).toBe(true);
    }
  });

  it('answers an unknown path with 404, not a stack trace', async () => {
    const port = await freePort();
    const proc = start('consent', distributedEnv(port));
    await waitFor(proc, `http://127.0.0.1:${port}/health/live`, (a) => a.status === 200);
    const answer = await get(`http://127.0.0.1:${port}/no/such/path`);
    expect(answer?.status).toBe(404);
    expect(answer?.text).not.toMatch(/\bat .*\.js:\d+/);
    await proc.stop();
  });

  it('is live but not ready while the schema is missing, naming the failing check', async () => {
    const empty = await createTestDatabase('tessera_e2e_unmigrated');
    try {
      const port = await freePort();
      const proc = start('introspection', distributedEnv(port, { DATABASE_URL: empty.url }));
      await waitFor(proc, `http://127.0.0.1:${port}/health/live`, (a) => a.status === 200);
      const answer = await waitFor(proc, `http://127.0.0.1:${port}/health/ready`, (a) => a.status === 503);
      const report = JSON.parse(answer.text);
      expect(report.status).toBe('unavailable');
      expect(report.checks.database).toEqual({ status: 'failing', detail: expect.stringContaining('tessera migrate') });
      expect(answer.text).not.toMatch(/\bat .*\.js:\d+/);
      await proc.stop();
    } finally {
      await empty.drop();
    }
  });

  it.each([
    ['a bad TESSERA_KEK', 'TESSERA_KEK', { TESSERA_KEK: 'c2hvcnQta2V5' }],
    ['no DATABASE_URL', 'DATABASE_URL', { DATABASE_URL: undefined }],
    ['no KAFKA_BROKERS', 'KAFKA_BROKERS', { KAFKA_BROKERS: undefined }],
    ['no TESSERA_ADMIN_TOKEN', 'TESSERA_ADMIN_TOKEN', { TESSERA_ADMIN_TOKEN: undefined }],
    ['a bad PORT', 'PORT', { PORT: 'http' }],
  ])('refuses to start with %s, naming the variable', async (_case, variable, overrides) => {
    const proc = start('token', distributedEnv(await freePort(), overrides));
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr).toMatch(new RegExp(`^tessera: configuration error: ${variable} `, 'm'));
    expect(proc.stderr).not.toContain('c2hvcnQta2V5');
  });
});

/** Does what the banner's "first token" lines say, with the admin token it printed. */
async function followFirstTokenRecipe(stdout: string): Promise<void> {
  const adminToken = /admin token: (tsa_[\w-]{43})/.exec(stdout)![1];
  const register = /curl -s -X POST (\S+\/oauth\/register)/.exec(stdout)![1];
  const tokenEndpoint = /grant_type=client_credentials (\S+\/oauth\/token)/.exec(stdout)![1];
  const registered = await fetch(register, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_types: ['client_credentials'] }),
  });
  expect(registered.status).toBe(201);
  const client = (await registered.json()) as { client_id: string; client_secret: string };
  const issued = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expect(issued.status).toBe(200);
  expect(await issued.json()).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), token_type: 'Bearer' });
}

describe('the standalone process', () => {
  it('boots in memory on PGlite and the in-process bus and is ready', async () => {
    const port = await freePort();
    const proc = start('standalone', { PORT: String(port), TESSERA_DATA_DIR: 'memory' });
    const answer = await waitFor(proc, `http://127.0.0.1:${port}/health/ready`, ready, 90_000);
    expect(JSON.parse(answer.text).checks).toMatchObject({ database: { status: 'ok' }, bus: { status: 'ok' } });
    expect(proc.stdout).toContain(`issuer:      http://localhost:${port}`);
    expect(proc.stdout).toContain('data dir:    memory');
    expect(proc.stdout).toMatch(/admin token: tsa_[\w-]{43}/);
    await followFirstTokenRecipe(proc.stdout);
    const metrics = await get(`http://127.0.0.1:${port}/metrics`);
    expect(metrics?.text).toMatch(/^process_cpu_user_seconds_total\{service="standalone"\} /m);
    expect((await proc.stop()).graceful).toBe(true);
  });

  it('prints the admin token at its first start only, keeping it in the data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-standalone-'));
    try {
      const port = await freePort();
      const first = start('standalone', { PORT: String(port), TESSERA_DATA_DIR: dataDir });
      await waitFor(first, `http://127.0.0.1:${port}/health/ready`, ready, 90_000);
      await waitFor(first, `http://127.0.0.1:${port}/health/live`, () => first.stdout.includes('health:'));
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      expect(token).toMatch(/^tsa_/);
      expect(first.stdout).toContain(`admin token: ${token}`);
      expect(first.stdout.split(token).length - 1).toBe(1);
      expect((await first.stop()).graceful).toBe(true);

      const second = start('standalone', { PORT: String(port), TESSERA_DATA_DIR: dataDir });
      await waitFor(second, `http://127.0.0.1:${port}/health/ready`, ready, 90_000);
      await waitFor(second, `http://127.0.0.1:${port}/health/live`, () => second.stdout.includes('health:'));
      expect(second.stdout).toContain(`data dir:    ${dataDir}`);
      expect(second.stdout).not.toContain(token);
      expect(second.stdout).not.toContain('admin token:');
      expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(token);
      expect((await second.stop()).graceful).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
