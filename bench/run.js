#!/usr/bin/env node
// Runs every benchmark one after the other in this run, so that their figures
// come from the same machine at the same time (the machines here are shared
// and noisy). Needs `npm run build` and the infrastructure (`npm run infra:up`).
// Usage: npm run bench [-- name …]   (names: event-store, replay, relay, token, login, introspection,
// revocation, gateway, exchange, resource-server)
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const all = [
  'event-store',
  'replay',
  'relay',
  'token',
  'login',
  'introspection',
  'revocation',
  'gateway',
  'exchange',
  'resource-server',
];
// ESM benchmarks (they import ESM-only packages such as oidc-provider).
const esm = new Set(['token', 'login', 'introspection', 'revocation', 'gateway', 'exchange', 'resource-server']);
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark ${name}; known: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(
    process.execPath,
    [path.join(__dirname, `${name}.bench.${esm.has(name) ? 'mjs' : 'js'}`)],
    {
      stdio: 'inherit',
    },
  );
  if (status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
