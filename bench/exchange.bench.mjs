#!/usr/bin/env node
// RFC 8693 token exchange (issue 6 benchmark; target ≥ 2,000 exchanges/s on this machine): exchanges/s
// and p99 through POST /oauth/token. A subject client gets access tokens (client_credentials); an
// exchanging client with a `token_exchange_policy` trades them for JWTs for another audience, the
// request of apps/token/src/grants/token-exchange.int-spec.ts. Requests rotate over a pool of subject
// tokens (a service exchanges many callers' tokens; every exchange is appended to its subject's stream,
// so one hot subject token would measure optimistic-concurrency retries instead); `pool=1` does that.
// Every answer is checked to be 200 with an access token. Distributed mode: the token process,
// PostgreSQL, Kafka. Needs `npm run build` and the infrastructure (`npm run infra:up`).
// Usage: node bench/exchange.bench.mjs [seconds=10] [connections=10,50] [pool=100]
import { basic, json, registerClient, run, startTessera } from './lib/servers.mjs';

const seconds = Number(process.argv[2] || 10);
const connectionsList = (process.argv[3] || '10,50').split(',').map(Number);
const poolSize = Number(process.argv[4] || 100);
const warmupSeconds = 3;
const SCOPE = 'orders_read';
const AUDIENCE = 'https://orders.bench.example';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const form = (authorization, body) => ({
  method: 'POST',
  headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

async function main() {
  const tessera = await startTessera(['token'], { label: 'exchange' });
  try {
    const base = tessera.base('token');
    const subject = await registerClient(base, tessera.adminToken, SCOPE);
    const exchanger = await registerClient(base, tessera.adminToken, SCOPE, {
      grant_types: [TOKEN_EXCHANGE],
      token_exchange_policy: { [AUDIENCE]: SCOPE },
    });
    const subjectAuth = basic(subject.client_id, subject.client_secret);
    const auth = basic(exchanger.client_id, exchanger.client_secret);
    const bodies = [];
    for (let i = 0; i < poolSize; i++) {
      const { access_token: token } = await json(
        `${base}/oauth/token`,
        form(subjectAuth, `grant_type=client_credentials&scope=${SCOPE}`),
      );
      bodies.push(
        new URLSearchParams({
          grant_type: TOKEN_EXCHANGE,
          subject_token: token,
          subject_token_type: ACCESS_TOKEN_TYPE,
          audience: AUDIENCE,
        }).toString(),
      );
    }
    const url = `${base}/oauth/token`;
    // One exchange by hand: 200, a JWT for the audience (RFC 8693 §2.2.1).
    const first = await json(url, form(auth, bodies[0]));
    if (first.issued_token_type !== ACCESS_TOKEN_TYPE || !String(first.access_token).startsWith('eyJ')) {
      throw new Error(`unexpected exchange answer: ${JSON.stringify({ ...first, access_token: '…' })}`);
    }

    let next = 0;
    const request = {
      url,
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      requests: [
        {
          setupRequest(req) {
            return { ...req, body: bodies[next++ % bodies.length] };
          },
        },
      ],
      verifyBody: (body) => body.includes('"access_token":"eyJ'),
    };
    const rows = [];
    for (const connections of connectionsList) {
      await run(request, connections, warmupSeconds);
      const r = await run(request, connections, seconds);
      rows.push({
        connections,
        rps: r['2xx'] / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        bad: r.non2xx + r.errors + r.timeouts + r.mismatches,
      });
    }
    const f = (n, d = 0) => n.toFixed(d).padStart(8);
    console.log(
      `RFC 8693 token exchange (access token → JWT), ${poolSize} subject tokens, ${seconds} s per run after ${warmupSeconds} s warm-up`,
    );
    console.log('connections | exchanges/s |  p50 ms |  p99 ms | errors');
    for (const r of rows) {
      console.log(
        `${String(r.connections).padStart(11)} | ${f(r.rps).padStart(11)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${r.bad}`,
      );
    }
    console.log('target: ≥ 2,000 exchanges/s');
    if (rows.some((r) => r.bad > 0)) {
      console.error('FAILED: some exchanges were not 200 with an access token');
      process.exitCode = 1;
    }
  } finally {
    await tessera.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
