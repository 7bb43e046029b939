// What every benchmark shares: where to create its throw-away database.
'use strict';
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

/**
 * The server benchmarks create databases on: the same variable the tests use
 * (set by `npm test`), else the server of DATABASE_URL, else the local one.
 */
function adminDatabaseUrl() {
  if (process.env.TESSERA_TEST_ADMIN_DATABASE_URL) return process.env.TESSERA_TEST_ADMIN_DATABASE_URL;
  const u = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/postgres';
  return u.toString();
}

async function adminQuery(sql) {
  const c = new Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Creates an empty database `<prefix>_<random>`; `drop()` removes it even with connections left open. */
async function benchDatabase(prefix) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

module.exports = { benchDatabase };
