import { PgDatabase, SqlEventStore } from '@tessera/event-store';
import { KafkaBus, Relay, topicNames } from '@tessera/messaging';
import { ConfigError, loadConfig } from '@tessera/platform';
import { createLogger } from '@tessera/telemetry';
import type { CliCommand } from '../cli-command';

/** What `tessera relay` needs. */
export interface RelayConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  /** The full identity-events topic name (under TESSERA_TOPIC_PREFIX). */
  topic: string;
  logLevel: ReturnType<typeof loadConfig<'cli'>>['logLevel'];
}

/**
 * Reads the relay's configuration: DATABASE_URL and KAFKA_BROKERS are required.
 * TODO(issue 2): move into the platform config as its own `relay` kind.
 */
export function relayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const config = loadConfig('cli', env);
  const databaseUrl = config.databaseUrl?.reveal();
  if (!databaseUrl) throw new ConfigError('DATABASE_URL', 'is required by the relay');
  if (!config.kafkaBrokers) throw new ConfigError('KAFKA_BROKERS', 'is required by the relay');
  return {
    databaseUrl,
    kafkaBrokers: config.kafkaBrokers,
    topic: topicNames(config.topics.prefix).identityEvents,
    logLevel: config.logLevel,
  };
}

/**
 * `tessera relay`: runs the log → Kafka relay (DESIGN §3) until SIGTERM/SIGINT.
 * Several may run; one holds the lock and prints `relay active`, the others
 * stand by and take over when it dies.
 */
export const command: CliCommand = {
  name: 'relay',
  summary: 'publish the event log to Kafka (DATABASE_URL, KAFKA_BROKERS); one active, others stand by',
  async run(args: string[]): Promise<number> {
    if (args.length > 0) {
      process.stderr.write('usage: tessera relay\n');
      return 2;
    }
    const config = relayConfigFromEnv();
    // Logs go to stderr: stdout carries only the state lines scripts wait for.
    const logger = createLogger({ service: 'relay', level: config.logLevel, destination: process.stderr });
    const db = new PgDatabase({ connectionString: config.databaseUrl, applicationName: 'tessera-relay', max: 3 });
    const bus = new KafkaBus({ brokers: config.kafkaBrokers, clientId: 'tessera-relay', logger });
    const relay = new Relay({
      db,
      store: new SqlEventStore(db),
      bus,
      topic: config.topic,
      logger,
      onActiveChange: (active) => process.stdout.write(active ? 'relay active\n' : 'relay standby\n'),
    });
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    await relay.start();
    process.stdout.write(`relay started, publishing to ${config.topic}\n`);
    const signal = await stopped;
    logger.info({ signal }, 'relay stopping');
    try {
      await relay.stop();
    } finally {
      await bus.close();
      await db.close();
    }
    process.stdout.write('relay stopped\n');
    return 0;
  },
};
