#!/usr/bin/env node
/*
 * Event-store append throughput beside a raw multi-row INSERT of the same rows
 * through `pg` (issue 2 "Benchmarks"). Plain node: it loads the compiled lib,
 * so run `npm run build` first. Prints one table; not a timed test.
 *
 *   node bench/event-store.bench.js            # PostgreSQL (fresh database) and PGlite
 *   BENCH_PGLITE=0 node bench/event-store.bench.js
 *
 * PostgreSQL: TESSERA_TEST_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
'use strict';
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { Client } = require('pg');
const { benchDatabase } = require('./support');

const lib = path.join(__dirname, '..', 'dist', 'libs', 'event-store', 'src');
let es;
try {
  es = require(lib);
} catch (err) {
  console.error(`cannot load ${lib} (${err.message}); run \`npm run build\` first`);
  process.exit(2);
}

const STREAMS_PER_BATCH = 100;
const EVENTS_PER_STREAM = 10;
const BATCH_EVENTS = STREAMS_PER_BATCH * EVENTS_PER_STREAM;
const BATCHES = Number(process.env.BENCH_BATCHES || 30);
const SINGLE = Number(process.env.BENCH_SINGLE || 2000);
const CONCURRENCY = 8;

let streamSeq = 0;
const newStream = (prefix) => `${prefix}-${++streamSeq}`;
const payload = (i) => ({
  type: 'user.registered',
  data: { userId: randomUUID(), tenant: 'default', emailHash: 'f'.repeat(64), seq: i },
  metadata: { actor: 'system', correlationId: randomUUID(), traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
});

function batchRequests() {
  return Array.from({ length: STREAMS_PER_BATCH }, () => ({
    streamId: newStream('batch'),
    expectedVersion: 0,
    events: Array.from({ length: EVENTS_PER_STREAM }, (_, j) => payload(j)),
  }));
}

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** One event per append, one after the other, to 200 streams in turn. */
async function singleSequential(store, n) {
  const streams = Array.from({ length: 200 }, () => newStream('single'));
  const versions = new Map();
  return timed(async () => {
    for (let i = 0; i < n; i++) {
      const s = streams[i % streams.length];
      const r = await store.append(s, versions.get(s) || 0, [payload(i)]);
      versions.set(s, r.nextExpectedVersion);
    }
  });
}

/** One event per append, CONCURRENCY callers at once, each on its own streams (no conflicts). */
async function singleConcurrent(store, n) {
  return timed(() =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const streams = Array.from({ length: 25 }, () => newStream('conc'));
        const versions = new Map();
        for (let i = 0; i < n / CONCURRENCY; i++) {
          const s = streams[i % streams.length];
          const r = await store.append(s, versions.get(s) || 0, [payload(i)]);
          versions.set(s, r.nextExpectedVersion);
        }
      }),
    ),
  );
}

async function batched(store, batches) {
  const all = Array.from({ length: batches }, batchRequests);
  return timed(async () => {
    for (const requests of all) await store.appendMany(requests);
  });
}

/** The same rows as `batched`, as one multi-row INSERT per batch (versions computed by the client). */
function rawStatements(batches) {
  const cols = '(stream_id, stream_version, event_id, type, schema_version, data, metadata)';
  return Array.from({ length: batches }, () => {
    const values = [];
    const tuples = [];
    for (const r of batchRequests()) {
      r.events.forEach((e, j) => {
        const b = values.length;
        tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`);
        values.push(r.streamId, j + 1, randomUUID(), e.type, 1, JSON.stringify(e.data), JSON.stringify(e.metadata));
      });
    }
    return { text: `INSERT INTO eventlog.events ${cols} VALUES ${tuples.join(', ')}`, values };
  });
}

async function raw(query, batches) {
  const statements = rawStatements(batches);
  return timed(async () => {
    for (const s of statements) await query(s.text, s.values);
  });
}

async function measure(name, { store, rawQuery, warm }) {
  const rows = [];
  // Warm-up: plan caches, JIT-free paths, WASM compilation (PGlite).
  await singleSequential(store, warm);
  await batched(store, 2);
  await raw(rawQuery, 2);

  const seq = await singleSequential(store, SINGLE);
  rows.push([name, 'append, 1 event/call, sequential', SINGLE, seq]);
  const conc = await singleConcurrent(store, SINGLE * 2);
  rows.push([name, `append, 1 event/call, ${CONCURRENCY} concurrent callers`, SINGLE * 2, conc]);
  // Interleave batched and raw rounds so that load from elsewhere hits both alike.
  let batchedSeconds = 0;
  let rawSeconds = 0;
  for (let round = 0; round < 3; round++) {
    batchedSeconds += await batched(store, BATCHES / 3);
    rawSeconds += await raw(rawQuery, BATCHES / 3);
  }
  const total = BATCHES * BATCH_EVENTS;
  rows.push([
    name,
    `appendMany, ${STREAMS_PER_BATCH} streams x ${EVENTS_PER_STREAM} events/call`,
    total,
    batchedSeconds,
  ]);
  rows.push([name, `raw multi-row INSERT, ${BATCH_EVENTS} rows/statement`, total, rawSeconds]);
  return { rows, ratio: rawSeconds / batchedSeconds, batchedRate: total / batchedSeconds };
}

function print(results) {
  const lines = [['adapter', 'operation', 'events', 'seconds', 'events/s']];
  for (const r of results)
    for (const [a, op, n, s] of r.rows)
      lines.push([a, op, String(n), s.toFixed(2), Math.round(n / s).toLocaleString('en')]);
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(fmt(lines[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines.slice(1)) console.log(fmt(l));
  console.log('');
  for (const r of results) {
    const adapter = r.rows[0][0];
    const ok = r.ratio >= 0.35 && r.batchedRate >= 20000;
    // The target is for PostgreSQL; PGlite (standalone mode) is shown for comparison.
    const verdict =
      adapter === 'PostgreSQL' ? `target >= 35% and >= 20,000 events/s: ${ok ? 'met' : 'NOT met'}` : 'no target';
    console.log(
      `${adapter}: batched / raw = ${(r.ratio * 100).toFixed(0)}%, batched ${Math.round(r.batchedRate).toLocaleString('en')} events/s (${verdict})`,
    );
  }
}

async function benchPostgres() {
  const database = await benchDatabase('tessera_bench_es');
  const db = new es.PgDatabase({
    connectionString: database.url,
    max: CONCURRENCY + 2,
    applicationName: 'event-store-bench',
  });
  const rawClient = new Client({ connectionString: database.url });
  try {
    await es.runMigrations(db);
    await rawClient.connect();
    return await measure('PostgreSQL', {
      store: new es.SqlEventStore(db),
      rawQuery: (text, values) => rawClient.query(text, values),
      warm: 200,
    });
  } finally {
    await rawClient.end().catch(() => undefined);
    await db.close();
    await database.drop();
  }
}

async function benchPglite() {
  const db = await es.PgliteDatabase.open('memory');
  try {
    await es.runMigrations(db);
    return await measure('PGlite', {
      store: new es.SqlEventStore(db),
      rawQuery: (text, values) => db.query(text, values),
      warm: 100,
    });
  } finally {
    await db.close();
  }
}

(async () => {
  const results = [await benchPostgres()];
  if (process.env.BENCH_PGLITE !== '0') results.push(await benchPglite());
  console.log(
    `\nevent-store append benchmark (node ${process.version}, ${require('node:os').cpus().length} CPUs, load average ${require('node:os').loadavg()[0].toFixed(1)})\n`,
  );
  print(results);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
