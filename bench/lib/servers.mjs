// What the HTTP benchmarks share: free ports, child processes, JSON calls, autocannon runs, and a
// Tessera deployment in distributed mode (fresh PostgreSQL database, Kafka topics under a fresh prefix).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Kafka brokers of the benchmark run. */
export const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A child process (node by default) with its output kept; `waitReady(url)` polls until it answers 2xx. */
export function startProcess(label, args, env, command = process.execPath) {
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => output,
    async waitReady(url, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`${label} exited:\n${output}`);
        const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${label} not ready at ${url}:\n${output}`);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** fetch that throws on a non-2xx answer and parses JSON. */
export async function json(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** HTTP Basic credentials (RFC 6749 §2.3.1: form-encoded id and secret). */
export const basic = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** One autocannon run. */
export function run(request, connections, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ ...request, connections, duration, pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/** p-quantile (0..1) of numbers. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Tessera's services in distributed mode on one fresh database and topic prefix: migrations applied,
 * topics created, each service its own process on a free port. `services` names the apps to start.
 * Returns `{ base(service), adminToken, gatewaySecret, database, prefix, procs, stop() }`.
 */
export async function startTessera(services, { label = 'bench' } = {}) {
  const { benchDatabase } = require('../support.js');
  const { PgDatabase, runMigrations } = require('../../dist/libs/event-store/src');
  const { KafkaBus } = require('../../dist/libs/messaging/src');
  const { topicSpecs } = require('../../dist/libs/platform/src');
  const { allMigrations } = require('../../dist/apps/standalone/src/all-migrations');

  const database = await benchDatabase(`tessera_bench_${label}`);
  const prefix = `bench_${label}_${randomBytes(4).toString('hex')}`;
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const kek = randomBytes(32).toString('base64');
  // What nginx sends to /gateway/phantom (deploy/nginx/README.md: the gateway secret).
  const gatewaySecret = randomBytes(32).toString('base64url');
  const db = new PgDatabase({ connectionString: database.url });
  try {
    await runMigrations(db, { migrations: allMigrations });
  } finally {
    await db.close();
  }
  const bus = new KafkaBus({ brokers, clientId: `${label}-bench` });
  try {
    await bus.ensureTopics(topicSpecs({ prefix, partitions: 1, retentionMs: 3_600_000 }));
  } finally {
    await bus.close();
  }
  const ports = {};
  for (const s of services) ports[s] = await freePort();
  const issuer = `http://127.0.0.1:${ports[services[0]]}`;
  const procs = {};
  // TESSERA_BENCH_CPU_PROF=<dir>: each service writes a V8 CPU profile there when it stops.
  const prof = process.env.TESSERA_BENCH_CPU_PROF;
  const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  try {
    for (const s of services) {
      const base = `http://127.0.0.1:${ports[s]}`;
      procs[s] = startProcess(`tessera ${s}`, [...flags, join(root, `dist/apps/${s}/src/main.js`)], {
        PORT: String(ports[s]),
        DATABASE_URL: database.url,
        KAFKA_BROKERS: brokers.join(','),
        TESSERA_KEK: kek,
        TESSERA_ADMIN_TOKEN: adminToken,
        TESSERA_GATEWAY_SECRET: gatewaySecret,
        TESSERA_ISSUER: issuer,
        TESSERA_TOPIC_PREFIX: prefix,
        TESSERA_LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      });
      await procs[s].waitReady(`${base}/health/ready`);
    }
  } catch (err) {
    for (const p of Object.values(procs)) await p.stop();
    await database.drop();
    throw err;
  }
  return {
    base: (s) => `http://127.0.0.1:${ports[s]}`,
    adminToken,
    gatewaySecret,
    database,
    prefix,
    procs,
    async stop() {
      for (const p of Object.values(procs)) await p.stop();
      await database.drop();
    },
  };
}

/** Registers a client_credentials client (client_secret_basic) for `scope` through the admin token. */
export async function registerClient(base, adminToken, scope, extra = {}) {
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  await json(`${base}/admin/scopes/${scope}`, {
    method: 'PUT',
    headers: admin,
    body: JSON.stringify({ description: `bench scope ${scope}`, claims: [] }),
  });
  return json(`${base}/oauth/register`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({
      client_name: 'bench',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope,
      ...extra,
    }),
  });
}

/**
 * One autocannon run that also keeps every 2xx response's latency in fractional ms (autocannon's own
 * percentiles are whole milliseconds, too coarse for sub-millisecond paths). An existing
 * `request.setupClient` still runs. Resolves to autocannon's result plus `samples` (ms).
 */
export function runSampled(request, connections, duration) {
  const samples = [];
  const sampled = {
    ...request,
    setupClient(client) {
      request.setupClient?.(client);
      client.on('response', (status, _bytes, ms) => {
        if (status >= 200 && status < 300) samples.push(ms);
      });
    },
  };
  return run(sampled, connections, duration).then((result) => ({ ...result, samples }));
}
