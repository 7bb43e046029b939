import { spawn } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { topicNames } from '@tessera/messaging';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueSuffix } from '../support/infra';
import { childEnv, ROOT } from './spawned-process';

jest.setTimeout(180_000);

// Issue 2 §6: `npx tessera migrate` from the repository root creates or upgrades
// the schema and the topics for DATABASE_URL / KAFKA_BROKERS; a second run applies nothing.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tessera(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tessera', ...args], { cwd: ROOT, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let db: TestDatabase;
const prefix = `e2e_migrate_${uniqueSuffix()}`;

beforeAll(async () => {
  db = await createTestDatabase('tessera_e2e_migrate');
});

afterAll(async () => {
  await db?.drop();
});

async function query<R>(sql: string): Promise<R[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

it('migrates a fresh database and creates the topics, then applies nothing the second time', async () => {
  const env = { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers.join(','), TESSERA_TOPIC_PREFIX: prefix };

  const first = await tessera(['migrate'], env);
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
  expect(first.stdout).toMatch(/^schema: applied \d+ migration\(s\) to PostgreSQL /m);

  const tables = await query<{ t: string | null }>(
    "SELECT to_regclass('eventlog.events')::text AS t UNION ALL SELECT to_regclass('eventlog.schema_migrations')::text" +
      " UNION ALL SELECT to_regclass('token.signing_keys')::text",
  );
  // Issue 3: the services' private schemas are migrated by the same step.
  expect(tables.map((r) => r.t)).toEqual(['eventlog.events', 'eventlog.schema_migrations', 'token.signing_keys']);
  expect(first.stdout).toContain('token/0001_signing_keys');
  const applied = await query<{ n: string }>('SELECT count(*) AS n FROM eventlog.schema_migrations');
  expect(Number(applied[0].n)).toBeGreaterThan(0);
  expect(first.stdout).toContain(`applied ${applied[0].n} migration(s)`);

  const admin = new Kafka({ brokers: kafkaBrokers, clientId: 'e2e-migrate', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const expected = Object.values(topicNames(prefix));
    const existing = await admin.listTopics();
    expect(existing).toEqual(expect.arrayContaining(expected));
    const metadata = await admin.fetchTopicMetadata({ topics: expected });
    for (const topic of metadata.topics) expect(topic.partitions).toHaveLength(3);
  } finally {
    await admin.disconnect();
  }
  expect(first.stdout).toMatch(/^topics: ensured on .*partitions 3, retention\.ms 604800000/m);

  const second = await tessera(['migrate'], env);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/^schema: PostgreSQL .* is up to date, nothing applied$/m);
  const again = await query<{ n: string }>('SELECT count(*) AS n FROM eventlog.schema_migrations');
  expect(again[0].n).toBe(applied[0].n);
});

it('refuses a bad DATABASE_URL, naming it without echoing it', async () => {
  const run = await tessera(['migrate'], { DATABASE_URL: 'mysql://root:s3cret-pw@localhost/x' });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^tessera: configuration error: DATABASE_URL /m);
  expect(run.stderr).not.toContain('s3cret-pw');
});

it('lists the commands with help, and rejects an unknown one', async () => {
  const help = await tessera(['help'], {});
  expect(help.code).toBe(0);
  for (const name of ['help', 'migrate', 'projections', 'relay'])
    expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  const unknown = await tessera(['frobnicate'], {});
  expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
    code: 2,
    stderr: expect.stringContaining('unknown command "frobnicate"'),
  });
});
