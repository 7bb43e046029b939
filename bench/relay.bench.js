#!/usr/bin/env node
// Relay latency, log → Kafka → consumer (issue 2 benchmarks; target p99 < 50 ms at 500 events/s).
// Runs on the compiled code: `npm run build` first. Uses DATABASE_URL's server (a throw-away
// database is created and dropped) or the local one, and KAFKA_BROKERS (default 127.0.0.1:9092).
// Usage: node bench/relay.bench.js [eventsPerSecond=500] [seconds=20] [eventsPerTransaction=1]
// Two figures: from the append call (includes waiting for a pooled connection and the commit, so it
// also measures the store under this load) and from the commit acknowledgement (an event is in the
// log once its commit returns: that is the relay's log → Kafka → consumer latency).
'use strict';

const { randomBytes, randomUUID } = require('node:crypto');
const { benchDatabase } = require('./support');
const { Kafka, logLevel } = require('kafkajs');
const { PgDatabase, SqlEventStore, runMigrations } = require('../dist/libs/event-store/src');
const { KafkaBus, Relay, topicNames } = require('../dist/libs/messaging/src');

const rate = Number(process.argv[2] || 500);
const seconds = Number(process.argv[3] || 20);
const perTransaction = Math.max(1, Number(process.argv[4] || 1));
const warmupMs = 1000;
const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(label, values) {
  const s = [...values].sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  return `${label}: p50 ${f(percentile(s, 50))} ms, p99 ${f(percentile(s, 99))} ms, max ${f(s[s.length - 1])} ms`;
}

async function main() {
  const suffix = randomBytes(4).toString('hex');
  const database = await benchDatabase('tessera_bench_relay');
  const db = new PgDatabase({ connectionString: database.url, max: 12, applicationName: 'relay-bench' });
  const topic = topicNames(`bench${suffix}`).identityEvents;
  const relayBus = new KafkaBus({ brokers, clientId: 'relay-bench-relay' });
  const consumerBus = new KafkaBus({ brokers, clientId: 'relay-bench-consumer' });
  let relay;
  try {
    await runMigrations(db);
    const store = new SqlEventStore(db);
    await relayBus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);

    const fromCall = []; // now - time the append was called (includes the commit)
    const fromCommit = []; // now - time the append's commit was acknowledged
    const committedAt = new Map();
    const commitToAck = []; // broker ack of the relay's publish - commit ack
    const ackToConsumer = [];
    const seen = new Set();
    let duplicates = 0;
    const startedAt = Date.now();
    await consumerBus.subscribe(topic, { groupId: `bench-${suffix}`, fromBeginning: true }, async (event) => {
      const now = performance.timeOrigin + performance.now();
      if (seen.has(event.id)) return void duplicates++;
      seen.add(event.id);
      const { appendedAt } = event.data;
      if (appendedAt - startedAt < warmupMs) return;
      fromCall.push(now - appendedAt);
      const c = committedAt.get(event.id);
      const a = ackedAt.get(event.id);
      if (c !== undefined) fromCommit.push(now - c);
      if (c !== undefined && a !== undefined) {
        commitToAck.push(a - c);
        ackToConsumer.push(now - a);
      }
    });
    // Wraps the bus to note when the broker acknowledged each event: splits the latency in two.
    const ackedAt = new Map();
    const timedBus = Object.create(relayBus);
    timedBus.publish = async (t, messages) => {
      await relayBus.publish(t, messages);
      const at = performance.timeOrigin + performance.now();
      for (const m of messages) ackedAt.set(m.value.id, at);
    };
    relay = new Relay({ db, store, bus: timedBus, topic });
    await relay.start();

    // Paced load: every 10 ms, rate/100 single-event appends in their own transactions, concurrently.
    const perTick = Math.max(1, Math.round(rate / 100));
    const total = rate * seconds;
    let sent = 0;
    let failed = 0;
    const inflight = new Set();
    const t0 = performance.now();
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + perTick);
      while (sent < due) {
        const n = Math.min(perTransaction, due - sent);
        const first = sent;
        sent += n;
        const appendedAt = performance.timeOrigin + performance.now();
        const requests = Array.from({ length: n }, (_, k) => ({
          streamId: `user-${(first + k) % 200}`,
          expectedVersion: 'any',
          events: [{ id: randomUUID(), type: 'user.signed-in', data: { appendedAt, i: first + k } }],
        }));
        const p = store
          .appendMany(requests)
          .then(
            () => {
              const at = performance.timeOrigin + performance.now();
              for (const r of requests) committedAt.set(r.events[0].id, at);
            },
            () => (failed += n),
          )
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 30_000;
    while (seen.size < total - failed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    const perTx = perTransaction === 1 ? 'single-event transactions' : `${perTransaction} events per transaction`;
    console.log(`relay latency bench: ${total} events offered at ${rate}/s in ${perTx} over ${elapsed.toFixed(1)} s`);
    console.log(`  achieved ${(total / elapsed).toFixed(0)} events/s, append failures ${failed}`);
    console.log(`  received ${seen.size}/${total - failed} distinct events (duplicates ${duplicates})`);
    console.log(`  measured ${fromCommit.length} after a ${warmupMs} ms warm-up`);
    console.log(summary('  commit ack  → consumer (relay latency)', fromCommit));
    console.log(summary('    of which commit → broker ack (relay)', commitToAck));
    console.log(summary('    of which broker ack → consumer', ackToConsumer));
    console.log(summary('  append call → consumer (incl. store queueing)', fromCall));
    const p99 = percentile(
      [...fromCommit].sort((x, y) => x - y),
      99,
    );
    console.log(`  target relay p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'}`);
  } finally {
    await relay?.stop();
    await consumerBus.close();
    await relayBus.close();
    const k = new Kafka({ brokers, clientId: 'relay-bench-cleanup', logLevel: logLevel.NOTHING }).admin();
    await k
      .connect()
      .then(() => k.deleteTopics({ topics: [topic] }))
      .catch(() => undefined);
    await k.disconnect().catch(() => undefined);
    await db.close();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
