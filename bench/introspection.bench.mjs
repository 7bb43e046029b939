#!/usr/bin/env node
// Introspection (RFC 7662): Tessera's introspection service against oidc-provider's, in the same run,
// on the same machine (issue 4 benchmark; target Tessera ≥ 2× oidc-provider, p99 ≤ 5 ms at 10 connections).
// Tessera runs in distributed mode (token + introspection processes, PostgreSQL, Kafka); oidc-provider
// with its in-memory adapter. In both, a client_credentials client introspects an active opaque token it
// was issued, authenticating with client_secret_basic; every answer is checked to be `active: true`.
// Needs `npm run build` and the infrastructure (`npm run infra:up`).
// Usage: node bench/introspection.bench.mjs [seconds=10] [connections=10,50]
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { basic, json, registerClient, root, run, startProcess, startTessera, freePort } from './lib/servers.mjs';

const seconds = Number(process.argv[2] || 10);
const connectionsList = (process.argv[3] || '10,50').split(',').map(Number);
const warmupSeconds = 3;
const SCOPE = 'orders_read';

const form = (authorization, body) => ({
  method: 'POST',
  headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

async function tesseraTarget() {
  const tessera = await startTessera(['token', 'introspection'], { label: 'introspect' });
  const client = await registerClient(tessera.base('token'), tessera.adminToken, SCOPE);
  const auth = basic(client.client_id, client.client_secret);
  const token = await json(
    `${tessera.base('token')}/oauth/token`,
    form(auth, `grant_type=client_credentials&scope=${SCOPE}`),
  );
  const url = `${tessera.base('introspection')}/oauth/introspect`;
  return { tessera, request: { url, ...form(auth, `token=${encodeURIComponent(token.access_token)}`) } };
}

async function providerTarget() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const secret = randomBytes(32).toString('base64url');
  const proc = startProcess(
    'oidc-provider',
    [join(root, 'bench/token/oidc-provider.server.mjs'), String(port), 'bench', secret, SCOPE],
    { NODE_ENV: 'production' },
  );
  await proc.waitReady(`${base}/.well-known/openid-configuration`);
  const auth = basic('bench', secret);
  const token = await json(`${base}/token`, form(auth, `grant_type=client_credentials&scope=${SCOPE}`));
  const url = `${base}/token/introspection`;
  return { proc, request: { url, ...form(auth, `token=${encodeURIComponent(token.access_token)}`) } };
}

/** Every answer must say active with the scope: a fast `active:false` would be a wrong benchmark. */
async function checkActive(name, request) {
  const answer = await json(request.url, request);
  if (answer.active !== true || answer.scope !== SCOPE) throw new Error(`${name}: ${JSON.stringify(answer)}`);
}

function countActive(request, connections, duration) {
  let inactive = 0;
  const checked = {
    ...request,
    setupClient(client) {
      client.on('body', (body) => {
        if (!body.toString().includes('"active":true')) inactive++;
      });
    },
  };
  return run(checked, connections, duration).then((r) => ({ ...r, inactive }));
}

async function main() {
  let t;
  let p;
  try {
    t = await tesseraTarget();
    p = await providerTarget();
    await checkActive('tessera', t.request);
    await checkActive('oidc-provider', p.request);
    const targets = [
      { name: 'tessera', request: t.request },
      { name: 'oidc-provider', request: p.request },
    ];
    const rows = [];
    for (const connections of connectionsList) {
      const row = { connections };
      for (const target of targets) {
        await run(target.request, connections, warmupSeconds);
        const r = await countActive(target.request, connections, seconds);
        row[target.name] = {
          rps: r['2xx'] / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          bad: r.non2xx + r.errors + r.timeouts + r.inactive,
        };
      }
      rows.push(row);
    }
    const f = (n, d = 0) => n.toFixed(d).padStart(8);
    console.log(`introspection of an active opaque token, ${seconds} s per run after ${warmupSeconds} s warm-up`);
    console.log('connections | server        |   req/s |  p50 ms |  p99 ms | not active/errors');
    let failed = false;
    for (const row of rows) {
      for (const name of ['tessera', 'oidc-provider']) {
        const r = row[name];
        if (r.bad > 0) failed = true;
        console.log(
          `${String(row.connections).padStart(11)} | ${name.padEnd(13)} | ${f(r.rps)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${r.bad}`,
        );
      }
      console.log(
        `${String(row.connections).padStart(11)} | ratio tessera/oidc-provider: ${(row.tessera.rps / row['oidc-provider'].rps).toFixed(2)}× (target ≥ 2×)` +
          (row.connections === 10 ? `; tessera p99 ${row.tessera.p99} ms (target ≤ 5 ms)` : ''),
      );
    }
    if (failed) {
      console.error('FAILED: some answers were not `active: true` or not 2xx');
      process.exitCode = 1;
    }
  } finally {
    await t?.tessera.stop();
    await p?.proc.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
