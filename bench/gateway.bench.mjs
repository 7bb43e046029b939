#!/usr/bin/env node
// Phantom gateway (issue 4 benchmark): the latency nginx + `/gateway/phantom` add over calling the
// upstream directly, p50 and p99, with the same autocannon settings, side by side in the same run.
// A tiny upstream (node:http answering 200) is called (a) directly with the client's opaque token and
// (b) through a real nginx rendered from deploy/nginx (auth_request → the introspection service's
// /gateway/phantom, which introspects the opaque token and hands nginx an RFC 9068 JWT). The upstream
// says which kind of token it got; every answer is checked (direct: opaque, gateway: JWT).
// The `resets` column: connections nginx closed after keepalive_requests that autocannon wrote into.
// Tessera runs in distributed mode (token + introspection processes, PostgreSQL, Kafka); nginx's own
// phantom cache is off (TESSERA_PHANTOM_CACHE_SECONDS=0, the default), so every call is introspected.
// Latencies are per response, in fractional ms (autocannon's own percentiles are whole ms).
// Needs `npm run build`, nginx (scripts/ensure-nginx.sh) and the infrastructure (`npm run infra:up`).
// Usage: node bench/gateway.bench.mjs [seconds=10] [connections=10] [rounds=2]
import { startNginxGateway } from './lib/nginx.mjs';
import {
  basic,
  freePort,
  json,
  quantile,
  registerClient,
  run,
  runSampled,
  startProcess,
  startTessera,
} from './lib/servers.mjs';

const seconds = Number(process.argv[2] || 10);
const connections = Number(process.argv[3] || 10);
const rounds = Number(process.argv[4] || 2);
const warmupSeconds = 2;
const SCOPE = 'demo_read';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

// The upstream: 200 with the kind of bearer token it was sent, nothing else (no verification cost).
// It keeps idle connections longer than nginx's upstream keepalive_timeout (60 s), so that nginx never
// reuses a connection the upstream is just closing (node's default keepAliveTimeout is 5 s).
const UPSTREAM = `
const { createServer } = require('node:http');
createServer((req, res) => {
  req.resume();
  const a = req.headers.authorization || '';
  const kind = a.startsWith('Bearer eyJ') ? 'jwt' : a.startsWith('Bearer tsr_at_') ? 'opaque' : 'none';
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(kind);
}).setTimeout(0).listen(Number(process.argv[1]), '127.0.0.1').keepAliveTimeout = 120000;
`;

async function main() {
  let tessera;
  let upstream;
  let gateway;
  try {
    tessera = await startTessera(['token', 'introspection'], { label: 'gateway' });
    const upstreamPort = await freePort();
    upstream = startProcess('upstream', ['-e', UPSTREAM, String(upstreamPort)], {});
    await upstream.waitReady(`http://127.0.0.1:${upstreamPort}/`);

    const nginxPort = await freePort();
    const audience = `http://127.0.0.1:${nginxPort}/api/demo`;
    const unused = '127.0.0.1:9'; // authentication, consent, audit: not called here
    gateway = await startNginxGateway({
      TESSERA_GATEWAY_LISTEN: `127.0.0.1:${nginxPort}`,
      TESSERA_AUTHENTICATION_UPSTREAM: unused,
      TESSERA_TOKEN_UPSTREAM: new URL(tessera.base('token')).host,
      TESSERA_INTROSPECTION_UPSTREAM: new URL(tessera.base('introspection')).host,
      TESSERA_CONSENT_UPSTREAM: unused,
      TESSERA_AUDIT_UPSTREAM: unused,
      TESSERA_DEMO_API_UPSTREAM: `127.0.0.1:${upstreamPort}`,
      TESSERA_DEMO_API_AUDIENCE: audience,
      TESSERA_PHANTOM_CACHE_SECONDS: '0',
      TESSERA_GATEWAY_SECRET: tessera.gatewaySecret,
    });

    // A client allowed to target the demo API (RFC 8707 resource), and its opaque token for it.
    const client = await registerClient(tessera.base('token'), tessera.adminToken, SCOPE, {
      grant_types: ['client_credentials', TOKEN_EXCHANGE],
      token_exchange_policy: { [audience]: SCOPE },
    });
    const token = await json(`${tessera.base('token')}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basic(client.client_id, client.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, resource: audience }).toString(),
    });
    const headers = { authorization: `Bearer ${token.access_token}` };
    const targets = [
      { name: 'direct', url: `http://127.0.0.1:${upstreamPort}/orders?page=1`, expected: 'opaque' },
      { name: 'nginx + phantom', url: `${gateway.url}/api/demo/orders?page=1`, expected: 'jwt' },
    ];
    for (const t of targets) {
      const res = await fetch(t.url, { headers });
      const body = await res.text();
      if (res.status !== 200 || body !== t.expected) {
        throw new Error(`${t.name}: ${res.status} ${body}\n${gateway.logs()}`);
      }
    }

    const results = Object.fromEntries(targets.map((t) => [t.name, []]));
    const bad = [];
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        let codes = {};
        const request = {
          url: t.url,
          method: 'GET',
          headers,
          expectBody: t.expected,
          setupClient(client) {
            client.on('connError', (err) => (codes[err.code] = (codes[err.code] ?? 0) + 1));
          },
        };
        await run(request, connections, warmupSeconds);
        codes = {};
        const r = await runSampled(request, connections, seconds);
        // nginx closes a client connection after keepalive_requests (1,000) requests with `Connection:
        // close`; autocannon ignores that header, and now and then writes its next request into the
        // closing socket. Those resets are counted apart; any other error fails the run.
        const resets = (codes.ECONNRESET ?? 0) + (codes.EPIPE ?? 0);
        if (r.non2xx + r.timeouts + r.mismatches + r.errors - resets > 0) {
          const wrong = { non2xx: r.non2xx, timeouts: r.timeouts, wrongToken: r.mismatches, errors: codes };
          bad.push(`round ${round + 1} ${t.name}: ${JSON.stringify(wrong)}`);
        }
        results[t.name].push({
          rps: r['2xx'] / r.duration,
          p50: quantile(r.samples, 0.5),
          p99: quantile(r.samples, 0.99),
          resets,
        });
      }
    }

    const f = (n, d = 2) => n.toFixed(d).padStart(8);
    console.log(
      `GET through nginx + /gateway/phantom vs the upstream directly, ${connections} connections, ` +
        `${rounds} alternating round(s) of ${seconds} s (after ${warmupSeconds} s warm-up each)`,
    );
    console.log('round | path             |    req/s |   p50 ms |   p99 ms | resets');
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        const r = results[t.name][round];
        console.log(
          `${String(round + 1).padStart(5)} | ${t.name.padEnd(16)} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.resets}`,
        );
      }
      const d = results['nginx + phantom'][round];
      const u = results.direct[round];
      console.log(
        `${String(round + 1).padStart(5)} | added by gateway |          | ${f(d.p50 - u.p50)} | ${f(d.p99 - u.p99)}`,
      );
    }
    if (bad.length > 0) {
      console.error(`FAILED: answers not 2xx or with the wrong kind of token:\n${bad.join('\n')}`);
      console.error(
        gateway
          .logs()
          .split('\n')
          .filter((l) => /\[(error|warn)\]/.test(l))
          .slice(-5)
          .join('\n'),
      );
      process.exitCode = 1;
    }
  } finally {
    await gateway?.stop();
    await upstream?.stop();
    await tessera?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
