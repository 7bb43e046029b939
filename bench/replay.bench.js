#!/usr/bin/env node
// Replay benchmark (issue 2, DESIGN §4): replay throughput into a projection
// through rebuildProjection beside a raw keyset-paged SELECT of the same rows
// through `pg`, in one run on a fresh database. Target: replay ≥ 70% of raw.
// Needs the compiled libs: npm run build (tsc + tsc-alias into dist/).
'use strict';
const path = require('node:path');
const { Client } = require('pg');
const { benchDatabase } = require('./support');

const dist = path.join(__dirname, '..', 'dist', 'libs');
const { PgDatabase, SqlEventStore, runMigrations } = require(path.join(dist, 'event-store', 'src'));
const { rebuildProjection } = require(path.join(dist, 'projections', 'src'));

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const PAGE = Number(process.env.BENCH_PAGE ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** A simple per-stream counter: count and sum of amounts. */
const counters = {
  name: 'stream_counters',
  schema: 'bench',
  version: 1,
  eventTypes: ['bench.counted'],
  keyOf: (e) => e.streamId,
  evolve: (s, e) => ({ count: (s ? s.count : 0) + 1, sum: (s ? s.sum : 0) + e.data.amount }),
};

async function seed(store) {
  const perStream = Math.ceil(EVENTS / STREAMS);
  const started = Date.now();
  let n = 0;
  for (let round = 0; round < perStream && n < EVENTS; round++) {
    for (let first = 0; first < STREAMS && n < EVENTS; first += 1000) {
      const requests = [];
      for (let s = first; s < Math.min(first + 1000, STREAMS) && n < EVENTS; s++, n++) {
        requests.push({
          streamId: `counter-${s}`,
          expectedVersion: round,
          events: [{ type: 'bench.counted', data: { amount: (n % 13) + 1, note: 'x'.repeat(40) } }],
        });
      }
      await store.appendMany(requests);
    }
  }
  return (n * 1000) / (Date.now() - started);
}

/**
 * Raw keyset pagination over the same rows, same order and page size as readAll.
 * ORDER BY names the table's column: the select list's `transaction_id::text AS
 * transaction_id` would otherwise win and sort by text (wrong order, no index).
 */
async function rawRead(url) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = process.hrtime.bigint();
    let tx = '0';
    let pos = 0;
    let rows = 0;
    for (;;) {
      const r = await c.query(
        `SELECT position, transaction_id::text AS transaction_id, stream_id, stream_version, event_id, type,
                schema_version, data, metadata, recorded_at
           FROM eventlog.events
          WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
            AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY events.transaction_id, events.position LIMIT $3`,
        [tx, pos, PAGE],
      );
      if (r.rows.length === 0) break;
      rows += r.rows.length;
      const last = r.rows[r.rows.length - 1];
      tx = last.transaction_id;
      pos = last.position;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { rows, perSecond: rows / seconds, seconds };
  } finally {
    await c.end();
  }
}

async function replay(db, store) {
  const t0 = process.hrtime.bigint();
  let done = 0;
  await rebuildProjection({ db, store, projection: counters, batchSize: PAGE, onProgress: (d) => (done = d) });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { rows: done, perSecond: done / seconds, seconds };
}

async function main() {
  const database = await benchDatabase('tessera_bench_replay');
  const db = new PgDatabase({ connectionString: database.url, applicationName: 'bench-replay', max: 4 });
  try {
    await runMigrations(db);
    const store = new SqlEventStore(db);
    const seedRate = await seed(store);
    await db.query('VACUUM ANALYZE eventlog.events');
    // readAll only sees transactions below the cluster-wide xmin: wait until all are visible.
    for (let waited = 0; (await store.countAfter({ transactionId: '0', position: 0 })) < EVENTS; waited += 100) {
      if (waited > 120_000)
        throw new Error('events not visible to readAll after 120 s (a long transaction elsewhere?)');
      await new Promise((r) => setTimeout(r, 100));
    }
    await rawRead(database.url); // warm the cache for both sides

    const raws = [];
    const replays = [];
    for (let i = 0; i < RUNS; i++) {
      raws.push(await rawRead(database.url));
      replays.push(await replay(db, store));
    }
    const [rows] = await db.query(
      "SELECT count(*)::int AS n, sum((state->>'count')::int)::int AS folded FROM bench.stream_counters",
    );
    if (rows.n !== Math.min(STREAMS, EVENTS) || rows.folded !== EVENTS) {
      throw new Error(`replay result is wrong: ${JSON.stringify(rows)}`);
    }
    const best = (xs) => xs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const raw = best(raws);
    const rep = best(replays);
    const fmt = (x) => Math.round(x).toLocaleString('en-US');
    const line = (a, b, c, d) => `${a.padEnd(44)}${b.padStart(10)}${c.padStart(10)}${d.padStart(14)}`;
    console.log(
      `\nreplay benchmark: ${fmt(EVENTS)} events in ${fmt(STREAMS)} streams, page ${fmt(PAGE)}, best of ${RUNS}`,
    );
    console.log(`(seeded with appendMany at ${fmt(seedRate)} events/s)\n`);
    console.log(line('', 'rows', 'seconds', 'per second'));
    console.log(
      line('raw paged SELECT through pg (keyset)', fmt(raw.rows), raw.seconds.toFixed(2), fmt(raw.perSecond)),
    );
    console.log(
      line('replay: rebuildProjection (shadow + swap)', fmt(rep.rows), rep.seconds.toFixed(2), fmt(rep.perSecond)),
    );
    const ratio = rep.perSecond / raw.perSecond;
    console.log(
      `\nreplay / raw read = ${(ratio * 100).toFixed(1)}% (target ≥ 70%: ${ratio >= 0.7 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `all runs raw: ${raws.map((r) => fmt(r.perSecond)).join(', ')}; replay: ${replays.map((r) => fmt(r.perSecond)).join(', ')}`,
    );
  } finally {
    await db.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
