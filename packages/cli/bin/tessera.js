#!/usr/bin/env node
// The CLI is compiled with the rest of the workspace (`npm run build`, run by
// `prepare` on `npm ci`); this shim only locates the compiled entry point.
const path = require('node:path');
require(path.resolve(__dirname, '../../../dist/apps/cli/src/main.js'));
