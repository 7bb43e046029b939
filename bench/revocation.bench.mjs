#!/usr/bin/env node
// Revocation propagation (issue 4 §5; target p99 ≤ 50 ms): from the moment `/oauth/revoke` answered,
// how long until (a) the introspection service answers `active: false` for a token it had just answered
// `active: true` for (its hot cache held it), and (b) a Kafka subscriber of `iam.revocations` receives
// the revocation. Distributed mode: token + introspection processes, PostgreSQL, Kafka.
// Needs `npm run build` and the infrastructure (`npm run infra:up`).
// Usage: node bench/revocation.bench.mjs [revocations=200]
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basic, brokers, json, quantile, registerClient, startTessera } from './lib/servers.mjs';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');
const count = Number(process.argv[2] || 200);
const SCOPE = 'orders_read';
const TIMEOUT_MS = 10_000;

const form = (authorization, body) => ({
  method: 'POST',
  headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

async function main() {
  const tessera = await startTessera(['token', 'introspection'], { label: 'revocation' });
  const kafka = new Kafka({ brokers, clientId: 'revocation-bench', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `revocation-bench-${tessera.prefix}`, maxWaitTimeInMs: 50 });
  const received = new Map(); // handle → arrival time (ms, performance.now)
  const waiters = new Map();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: `${tessera.prefix}.iam.revocations`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const event = JSON.parse(message.value.toString());
        for (const handle of event.data?.handles ?? []) {
          received.set(handle, at);
          waiters.get(handle)?.();
        }
      },
    });
    const client = await registerClient(tessera.base('token'), tessera.adminToken, SCOPE);
    const auth = basic(client.client_id, client.client_secret);
    const introspect = (token) =>
      json(`${tessera.base('introspection')}/oauth/introspect`, form(auth, `token=${encodeURIComponent(token)}`));

    const toIntrospection = [];
    const toKafka = [];
    for (let i = 0; i < count + 10; i++) {
      const { access_token: token } = await json(
        `${tessera.base('token')}/oauth/token`,
        form(auth, `grant_type=client_credentials&scope=${SCOPE}`),
      );
      const handle = createHash('sha256').update(token).digest('base64url');
      if ((await introspect(token)).active !== true) throw new Error('a fresh token was not active');
      const arrived = new Promise((resolve) => waiters.set(handle, resolve));
      const res = await fetch(
        `${tessera.base('token')}/oauth/revoke`,
        form(auth, `token=${encodeURIComponent(token)}`),
      );
      if (res.status !== 200) throw new Error(`revoke → ${res.status}`);
      const revokedAt = performance.now();
      for (;;) {
        if ((await introspect(token)).active === false) break;
        if (performance.now() - revokedAt > TIMEOUT_MS) throw new Error('introspection still active after 10 s');
      }
      const inactiveAt = performance.now();
      await Promise.race([
        arrived,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no Kafka message in 10 s')), TIMEOUT_MS)),
      ]);
      waiters.delete(handle);
      if (i >= 10) {
        // The first ten warm up connections and consumers.
        toIntrospection.push(inactiveAt - revokedAt);
        toKafka.push(Math.max(0, received.get(handle) - revokedAt));
      }
    }
    const f = (n) => n.toFixed(1).padStart(7);
    console.log(`revocation propagation over ${count} revocations (after 10 warm-up), ms after the revoke response`);
    console.log('path                          |     p50 |     p99 |     max');
    for (const [name, values] of [
      ['→ introspection active:false', toIntrospection],
      ['→ iam.revocations subscriber', toKafka],
    ]) {
      console.log(
        `${name.padEnd(29)} | ${f(quantile(values, 0.5))} | ${f(quantile(values, 0.99))} | ${f(Math.max(...values))}`,
      );
    }
    console.log('target: p99 ≤ 50 ms on both paths');
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await tessera.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
