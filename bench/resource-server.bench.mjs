#!/usr/bin/env node
// Resource-server verification (issue 6 benchmark; target ≥ 80% of raw jose): verifications/s of
// libs/resource-server's AccessTokenVerifier.verify beside a raw `jose.jwtVerify` (issuer, audience,
// ES256) on the same tokens, in the same process and run. In-process loop, one verification at a time,
// the variants alternating round by round; keys from a local JWKS served by node:http (fetched once,
// then cached by both). The tokens are RFC 9068 JWTs shaped like Tessera's exchanged tokens (ES256,
// `typ: at+jwt`, kid, iss, aud, sub, client_id, scope, jti, iat, exp, act). The verifier also runs
// with a RevocationList holding 1,000 entries (handles and jtis of other revoked tokens), as when it listens to `iam.revocations`.
// Needs `npm run build` (dist/libs/resource-server); no database or broker.
// On a noisy machine the paired figure counts: the median over rounds of (variant / raw in that round).
// Usage: node bench/resource-server.bench.mjs [ms-per-round=250] [rounds=20] [tokens=1000]
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { quantile } from './lib/servers.mjs';

const require = createRequire(import.meta.url);
const { AccessTokenVerifier, RevocationList } = require('../dist/libs/resource-server/src');

const roundMs = Number(process.argv[2] || 250);
const rounds = Number(process.argv[3] || 20);
const tokenCount = Number(process.argv[4] || 1000);
const ISSUER = 'http://127.0.0.1:4002';
const AUDIENCE = 'https://orders.bench.example';

async function main() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUri = `http://127.0.0.1:${server.address().port}/jwks`;
  try {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [];
    for (let i = 0; i < tokenCount; i++) {
      tokens.push(
        await new SignJWT({ client_id: 'orders-service', scope: 'orders_read', act: { sub: 'orders-service' } })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject(`user-${i}`)
          .setJti(randomUUID())
          .setIssuedAt(now)
          .setExpirationTime(now + 3600)
          .sign(privateKey),
      );
    }
    const revocations = new RevocationList();
    for (let i = 0; i < 500; i++) {
      revocations.add({ handles: [randomUUID()], jtis: [randomUUID()], expiresAtMs: Date.now() + 3_600_000 });
    }

    const rawKeys = createRemoteJWKSet(new URL(jwksUri));
    const rawOptions = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] };
    const verifier = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri });
    const listening = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri }, { revocations });
    const variants = [
      { name: 'raw jose.jwtVerify', verify: (t) => jwtVerify(t, rawKeys, rawOptions) },
      { name: 'AccessTokenVerifier', verify: (t) => verifier.verify(t) },
      { name: '… + RevocationList(1,000)', verify: (t) => listening.verify(t) },
    ];
    // Warm-up: every variant verifies every token once (JWKS fetched, code optimised); a wrong answer stops here.
    for (const v of variants) {
      for (const t of tokens) {
        const { payload } = await v.verify(t);
        if (payload.aud !== AUDIENCE) throw new Error(`${v.name}: unexpected payload`);
      }
    }

    const rates = Object.fromEntries(variants.map((v) => [v.name, []]));
    for (let round = 0; round < rounds; round++) {
      // The order rotates, so that no variant always runs first or last in a round.
      for (const v of [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)]) {
        let n = 0;
        const start = performance.now();
        const deadline = start + roundMs;
        while (performance.now() < deadline) {
          for (let i = 0; i < 100; i++) await v.verify(tokens[n++ % tokens.length]);
        }
        rates[v.name].push((n * 1000) / (performance.now() - start));
      }
    }

    const rawRates = rates[variants[0].name];
    const paired = (r) =>
      quantile(
        r.map((rate, i) => rate / rawRates[i]),
        0.5,
      );
    console.log(
      `JWT access token verification, ${tokenCount} ES256 tokens, ${rounds} alternating rounds of ${roundMs} ms, one at a time`,
    );
    console.log('verifier                  | median verif./s |   min/s |   max/s | of raw (paired median)');
    for (const v of variants) {
      const r = rates[v.name];
      const median = quantile(r, 0.5);
      console.log(
        `${v.name.padEnd(25)} | ${median.toFixed(0).padStart(15)} | ${Math.min(...r)
          .toFixed(0)
          .padStart(7)} | ` +
          `${Math.max(...r)
            .toFixed(0)
            .padStart(7)} | ${(100 * paired(r)).toFixed(0).padStart(5)}%`,
      );
    }
    console.log('target: AccessTokenVerifier ≥ 80% of raw');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
