import { type Database, PgDatabase, PgliteDatabase, runMigrations } from '@tessera/event-store';
import { KafkaBus } from '@tessera/messaging';
import { loadConfig, MEMORY_DATA_DIR, pgliteLocation, topicSpecs } from '@tessera/platform';
import { allMigrations } from '../../../standalone/src/all-migrations';
import type { CliCommand } from '../cli-command';

/**
 * `tessera migrate`: the deploy step of distributed mode (DESIGN §2, §3):
 * applies the SQL migrations (event log and every service's private schema) to DATABASE_URL (or the standalone data dir when
 * it is unset) and creates the topics on KAFKA_BROKERS when set.
 */
export const command: CliCommand = {
  name: 'migrate',
  summary: 'create or upgrade the schema (DATABASE_URL, else the standalone data dir) and the topics (KAFKA_BROKERS)',
  async run(args: string[]): Promise<number> {
    if (args.length > 0) {
      process.stderr.write('usage: tessera migrate\n');
      return 2;
    }
    const config = loadConfig('cli');
    const out = (line: string) => process.stdout.write(line + '\n');

    const url = config.databaseUrl?.reveal();
    const db: Database = url
      ? new PgDatabase({ connectionString: url, applicationName: 'tessera-migrate', max: 1 })
      : await PgliteDatabase.open(pgliteLocation(config.dataDir));
    const target = url ? `PostgreSQL ${describeUrl(url)}` : `PGlite in ${pgliteLocation(config.dataDir)}`;
    let applied: string[];
    try {
      // The event log's migrations, then every service's private schema (DESIGN §2).
      applied = await runMigrations(db, { migrations: allMigrations });
    } finally {
      await db.close();
    }
    if (applied.length === 0) out(`schema: ${target} is up to date, nothing applied`);
    else out(`schema: applied ${applied.length} migration(s) to ${target}: ${applied.join(', ')}`);
    if (!url && config.dataDir === MEMORY_DATA_DIR) out('note: TESSERA_DATA_DIR=memory keeps nothing after this run');

    if (!config.kafkaBrokers) {
      out('topics: KAFKA_BROKERS is not set, no topics created (standalone mode uses the in-process bus)');
      return 0;
    }
    const specs = topicSpecs(config.topics);
    const bus = new KafkaBus({ brokers: config.kafkaBrokers, clientId: 'tessera-migrate' });
    try {
      await bus.ensureTopics(specs);
    } finally {
      await bus.close();
    }
    const { partitions, retentionMs } = config.topics;
    out(
      `topics: ensured on ${config.kafkaBrokers.join(',')} (partitions ${partitions}, retention.ms ${retentionMs}): ` +
        specs.map((s) => s.name).join(', '),
    );
    return 0;
  },
};

// Host, port and database only: the URL may carry a password.
function describeUrl(raw: string): string {
  const u = new URL(raw);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}
