#!/usr/bin/env node
// Client-credentials issuance: Tessera's token service against oidc-provider, in the same run,
// on the same machine (issue 3 benchmark; target Tessera ≥ 1.5× oidc-provider).
// Tessera runs in distributed mode (`dist/apps/token/src/main.js`) on a fresh PostgreSQL database
// and Kafka: every issued token is an `access-token.issued` event committed to the log before the
// response. oidc-provider runs with its in-memory adapter. Each server is its own process; autocannon
// runs here. Same grant, same client authentication (client_secret_basic), same scope, opaque tokens.
// Needs `npm run build` and the infrastructure (`npm run infra:up`).
// Usage: node bench/token.bench.mjs [seconds=10] [connections=10,50]
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basic, brokers, freePort, json, root, run, startProcess } from './lib/servers.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { benchDatabase } = require('./support.js');
const { PgDatabase, runMigrations } = require('../dist/libs/event-store/src');
const { KafkaBus } = require('../dist/libs/messaging/src');
const { topicSpecs } = require('../dist/libs/platform/src');
const { allMigrations } = require('../dist/apps/standalone/src/all-migrations');

const seconds = Number(process.argv[2] || 10);
const connectionsList = (process.argv[3] || '10,50').split(',').map(Number);
const warmupSeconds = 3;
const SCOPE = 'orders_write';

function tokenRequest(base, authorization) {
  return {
    url: `${base}/oauth/token`,
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&scope=${SCOPE}`,
  };
}

/** One token through fetch, to check the server issues valid tokens at all. */
async function issueOne(request) {
  return json(request.url, { method: 'POST', headers: request.headers, body: request.body });
}

async function startTessera(database, adminToken, prefix) {
  const db = new PgDatabase({ connectionString: database.url });
  try {
    await runMigrations(db, { migrations: allMigrations });
  } finally {
    await db.close();
  }
  const bus = new KafkaBus({ brokers, clientId: 'token-bench' });
  try {
    await bus.ensureTopics(topicSpecs({ prefix, partitions: 1, retentionMs: 3_600_000 }));
  } finally {
    await bus.close();
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // TESSERA_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the token service, written when it stops.
  const prof = process.env.TESSERA_BENCH_CPU_PROF;
  const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const proc = startProcess('tessera token', [...flags, join(root, 'dist/apps/token/src/main.js')], {
    PORT: String(port),
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers.join(','),
    TESSERA_KEK: randomBytes(32).toString('base64'),
    TESSERA_ADMIN_TOKEN: adminToken,
    TESSERA_ISSUER: base,
    TESSERA_TOPIC_PREFIX: prefix,
    TESSERA_LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  });
  await proc.waitReady(`${base}/health/ready`);
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  await json(`${base}/admin/scopes/${SCOPE}`, {
    method: 'PUT',
    headers: admin,
    body: JSON.stringify({ description: 'Place orders', claims: [] }),
  });
  const client = await json(`${base}/oauth/register`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({
      client_name: 'bench',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCOPE,
    }),
  });
  return { proc, base, request: tokenRequest(base, basic(client.client_id, client.client_secret)), client };
}

async function startOidcProvider() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const clientId = 'bench';
  const secret = randomBytes(32).toString('base64url');
  const proc = startProcess(
    'oidc-provider',
    [join(here, 'token/oidc-provider.server.mjs'), String(port), clientId, secret, SCOPE],
    { NODE_ENV: 'production' },
  );
  await proc.waitReady(`${base}/.well-known/openid-configuration`);
  const request = { ...tokenRequest(base, basic(clientId, secret)), url: `${base}/token` };
  return { proc, base, request, clientId, secret };
}

/** Transactions committed in the bench database so far (PostgreSQL's statistics, flushed ~1 s late). */
async function commits(database) {
  const pg = new (require('pg').Client)({ connectionString: database.url });
  await pg.connect();
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const { rows } = await pg.query(
      'SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0].n);
  } finally {
    await pg.end();
  }
}

/** Rows written per table (inserts + updates + deletes): where the write amplification is. */
async function tableWrites(database) {
  const pg = new (require('pg').Client)({ connectionString: database.url });
  await pg.connect();
  try {
    const { rows } = await pg.query(
      `SELECT schemaname || '.' || relname AS t, (n_tup_ins + n_tup_upd + n_tup_del)::bigint AS n
         FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY 2 DESC`,
    );
    return rows.map((r) => ({ table: r.t, rows: Number(r.n) }));
  } finally {
    await pg.end();
  }
}

/** The log holds one `access-token.issued` per 2xx (plus the sample ones), and the sample's handle. */
async function checkTesseraLog(database, sampleToken) {
  const pg = new (require('pg').Client)({ connectionString: database.url });
  await pg.connect();
  try {
    const handle = createHash('sha256').update(sampleToken).digest('base64url');
    const sample = await pg.query('SELECT type FROM eventlog.events WHERE stream_id = $1', [`accesstoken-${handle}`]);
    const count = await pg.query(`SELECT count(*)::int AS n FROM eventlog.events WHERE type = 'access-token.issued'`);
    return { sampleInLog: sample.rows[0]?.type === 'access-token.issued', issuedEvents: count.rows[0].n };
  } finally {
    await pg.end();
  }
}

async function main() {
  const database = await benchDatabase('tessera_bench_token');
  const prefix = `bench_token_${randomBytes(4).toString('hex')}`;
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  let tessera;
  let provider;
  try {
    tessera = await startTessera(database, adminToken, prefix);
    provider = await startOidcProvider();
    const targets = [
      { name: 'tessera', ...tessera },
      { name: 'oidc-provider', ...provider },
    ];

    // Both servers issue real tokens before anything is timed.
    const tSample = await issueOne(tessera.request);
    if (!/^tsr_at_[\w-]{43}$/.test(tSample.access_token)) throw new Error(`tessera sample: ${JSON.stringify(tSample)}`);
    const pSample = await issueOne(provider.request);
    const introspected = await json(`${provider.base}/token/introspection`, {
      method: 'POST',
      headers: { ...provider.request.headers },
      body: `token=${encodeURIComponent(pSample.access_token)}`,
    });
    if (introspected.active !== true || introspected.scope !== SCOPE) {
      throw new Error(`oidc-provider sample token not active: ${JSON.stringify(introspected)}`);
    }

    let tesseraOk = 0;
    const rows = [];
    for (const connections of connectionsList) {
      const row = { connections };
      // Alternate, each warmed up first, so machine noise hits both alike.
      for (const t of targets) {
        const warm = await run(t.request, connections, warmupSeconds);
        if (t.name === 'tessera') tesseraOk += warm['2xx'];
        const before = t.name === 'tessera' ? await commits(database) : 0;
        const r = await run(t.request, connections, seconds);
        if (t.name === 'tessera') {
          tesseraOk += r['2xx'];
          // Where the database time goes: every committed transaction is a WAL flush.
          row.commitsPerToken = ((await commits(database)) - before) / r['2xx'];
        }
        row[t.name] = {
          rps: r['2xx'] / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx + warm.non2xx,
          errors: r.errors + r.timeouts + warm.errors + warm.timeouts,
          ok: r['2xx'],
        };
      }
      rows.push(row);
    }

    const writes = await tableWrites(database);
    const log = await checkTesseraLog(database, tSample.access_token);
    const after = await issueOne(tessera.request); // still serving after the load
    const afterLog = await checkTesseraLog(database, after.access_token);

    const f = (n, d = 0) => n.toFixed(d).padStart(8);
    console.log(`client_credentials issuance, ${seconds} s per run after ${warmupSeconds} s warm-up, loopback`);
    console.log('connections | server        |  tokens/s |  p50 ms |  p99 ms | non-2xx | errors');
    for (const row of rows) {
      for (const name of ['tessera', 'oidc-provider']) {
        const r = row[name];
        console.log(
          `${String(row.connections).padStart(11)} | ${name.padEnd(13)} | ${f(r.rps, 0).padStart(9)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.non2xx).padStart(7)} | ${f(r.errors).padStart(6)}`,
        );
      }
      console.log(
        `${String(row.connections).padStart(11)} | ratio tessera/oidc-provider: ${(row.tessera.rps / row['oidc-provider'].rps).toFixed(2)}×  (target ≥ 1.5×); tessera: ${row.commitsPerToken.toFixed(2)} PostgreSQL transactions (reads included) per token`,
      );
    }
    // 2 samples before and after the timed runs; autocannon stops counting at the deadline, so up to
    // `connections` requests per run were issued (and logged) but not counted as 2xx.
    const expected = tesseraOk + 2;
    const uncounted = 2 * connectionsList.reduce((a, b) => a + b, 0);
    console.log(
      `tessera log: sample tokens in log: ${log.sampleInLog && afterLog.sampleInLog}; access-token.issued events ${afterLog.issuedEvents}, 2xx responses + samples ${expected} (+ ≤ ${uncounted} in flight at run ends)`,
    );
    console.log(
      `tessera rows written per issued token: ${writes
        .map((w) => `${w.table} ${(w.rows / afterLog.issuedEvents).toFixed(2)}`)
        .join(', ')}`,
    );
    const failures = [];
    for (const row of rows)
      for (const name of ['tessera', 'oidc-provider'])
        if (row[name].non2xx !== 0 || row[name].errors !== 0)
          failures.push(`${name}@${row.connections}: non-2xx/errors`);
    if (!log.sampleInLog || !afterLog.sampleInLog) failures.push('tessera sample token missing from the log');
    if (afterLog.issuedEvents < expected || afterLog.issuedEvents > expected + uncounted)
      failures.push('tessera: issued events do not match 2xx responses');
    if (failures.length > 0) {
      console.error(`FAILED: ${failures.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await tessera?.proc.stop();
    await provider?.proc.stop();
    if (process.env.TESSERA_BENCH_VERBOSE) console.log(tessera?.proc.output());
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
