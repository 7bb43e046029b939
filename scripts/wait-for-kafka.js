#!/usr/bin/env node
// Waits until a Kafka broker really answers: an admin client connects, lists topics, and finds a
// group coordinator (which needs the offsets topic: on a one-node broker whose offsets topic cannot
// be created, kafkajs consumer groups would otherwise hang later, in the tests).
// Usage: node scripts/wait-for-kafka.js [brokers=127.0.0.1:9092] [timeoutSeconds=90]
// Exit 0 when it answered, 1 when the deadline passed. Used by scripts/infra-up.sh both to
// detect a broker that already runs and to wait for the one it started.
'use strict';

const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.argv[2] || '127.0.0.1:9092').split(',');
const timeoutMs = Number(process.argv[3] || 90) * 1000;
const deadline = Date.now() + timeoutMs;

async function attempt() {
  const kafka = new Kafka({
    clientId: 'tessera-wait-for-kafka',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    await admin.describeGroups(['tessera-wait-for-kafka']);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  for (;;) {
    if (await attempt()) return 0;
    if (Date.now() >= deadline) return 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

main().then((code) => process.exit(code));
