import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server tests may create databases on (an admin connection). */
export const adminDatabaseUrl =
  process.env.TESSERA_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The Kafka brokers tests use (`npm test` starts one on 9092 unless KAFKA_BROKERS is set). */
export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A unique, lower-case suffix so parallel test files never share a database or topic. */
export function uniqueSuffix(): string {
  return `${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** A throw-away database; `drop()` removes it (terminating leftover connections). */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server. */
export async function createTestDatabase(prefix = 'tessera_test'): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(async (c) => {
        await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
