import { type Migration, PgDatabase, runMigrations } from '@tessera/event-store';
import { KafkaBus, topicNames } from '@tessera/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { topicSpecs } from '@tessera/platform';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueSuffix } from './infra';

/** What a distributed-mode test runs against: a migrated throw-away database and its own topics. */
export interface PlatformFixture {
  database: TestDatabase;
  /** TESSERA_TOPIC_PREFIX of this fixture's topics. */
  topicPrefix: string;
  /** A distributed-mode service's variables for this fixture (database, brokers, topic prefix), plus `vars`. */
  env<V extends Record<string, string | undefined>>(
    vars: V,
  ): V & { DATABASE_URL: string; KAFKA_BROKERS: string; TESSERA_TOPIC_PREFIX: string };
  drop(): Promise<void>;
}

/**
 * A fresh database on the real PostgreSQL with the log's and the given
 * services' migrations applied (what `tessera migrate` does), and the
 * platform's topics on the real Kafka under a unique prefix; `drop()` removes
 * both.
 */
export async function createPlatformFixture(
  name: string,
  migrations: readonly Migration[] = [],
): Promise<PlatformFixture> {
  const database = await createTestDatabase(`tessera_${name}`);
  const pg = new PgDatabase({ connectionString: database.url });
  try {
    await runMigrations(pg, { migrations });
  } finally {
    await pg.close();
  }
  const topicPrefix = `${name}_${uniqueSuffix()}`;
  const bus = new KafkaBus({ brokers: kafkaBrokers, clientId: `test-${name}` });
  try {
    await bus.ensureTopics(topicSpecs({ prefix: topicPrefix, partitions: 1, retentionMs: 3_600_000 }));
  } finally {
    await bus.close();
  }
  return {
    database,
    topicPrefix,
    env: (vars) => ({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TESSERA_TOPIC_PREFIX: topicPrefix,
      ...vars,
    }),
    drop: async () => {
      await database.drop();
      await deleteTopics(Object.values(topicNames(topicPrefix)));
    },
  };
}

/** Test topics would pile up in a developer's broker run after run. */
async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers: kafkaBrokers, clientId: 'test-cleanup', logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
