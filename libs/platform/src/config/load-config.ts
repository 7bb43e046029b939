import { resolve } from 'node:path';
import { SERVICES, STANDALONE_DEFAULT_PORT } from '../services';
import { ConfigError } from './config-error';
import {
  type Env,
  parseAdminToken,
  parseAuditRetentionDays,
  parseBrokers,
  parseDatabaseUrl,
  parseGatewaySecret,
  parseInteger,
  parseIssuer,
  parseKek,
  parseLogLevel,
  parseOptionalUrl,
  parsePort,
  parseTopicPrefix,
  parseTrustedProxies,
  read,
  required,
} from './config-parsers';
import type { CliConfig, ConfigFor, ConfigKind, ServiceConfig, StandaloneConfig, TopicConfig } from './config.types';
import { Secret } from './secret';
import { generateAdminToken, generateKek, loadOrCreateSecret, MEMORY_DATA_DIR } from './standalone-secrets';

/** Default number of partitions per topic. */
export const DEFAULT_TOPIC_PARTITIONS = 3;
/** Default topic retention: 7 days. */
export const DEFAULT_TOPIC_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Default standalone data dir. */
export const DEFAULT_DATA_DIR = '.data';

/**
 * Validates the environment into one typed, frozen config object (DESIGN §9,
 * STYLE 9): the only reader of process.env. Throws ConfigError naming the bad
 * variable. For `standalone`, creates the KEK and admin token in the data dir
 * at first start.
 */
export function loadConfig<K extends ConfigKind>(kind: K, env: Env = process.env): ConfigFor<K> {
  if (kind === 'standalone') return freeze(loadStandalone(env)) as ConfigFor<K>;
  if (kind === 'cli') return freeze(loadCli(env)) as ConfigFor<K>;
  if (!(kind in SERVICES)) throw new Error(`unknown service ${kind}`);
  return freeze(loadService(kind as keyof typeof SERVICES, env)) as ConfigFor<K>;
}

function loadService(service: keyof typeof SERVICES, env: Env): ServiceConfig {
  const port = parsePort(env, SERVICES[service].defaultPort);
  const why = 'in distributed mode';
  return {
    kind: service,
    mode: 'distributed',
    port,
    issuer: parseIssuer(env, port),
    databaseUrl: new Secret(parseDatabaseUrl(required(env, 'DATABASE_URL', why))),
    kafkaBrokers: parseBrokers(required(env, 'KAFKA_BROKERS', why)),
    kek: new Secret(parseKek(required(env, 'TESSERA_KEK', `${why} (base64 of 32 bytes: openssl rand -base64 32)`))),
    // No shared data dir across services, so nothing could keep a generated token (README).
    adminToken: new Secret(parseAdminToken(required(env, 'TESSERA_ADMIN_TOKEN', why))),
    ...serving(env),
    ...common(env),
  };
}

function loadStandalone(env: Env): StandaloneConfig {
  const port = parsePort(env, STANDALONE_DEFAULT_PORT);
  const issuer = parseIssuer(env, port);
  const dataDir = parseDataDir(env);
  const kekRaw = read(env, 'TESSERA_KEK');
  const kek = kekRaw !== undefined ? parseKek(kekRaw) : storedKek(dataDir);
  const tokenRaw = read(env, 'TESSERA_ADMIN_TOKEN');
  const stored = tokenRaw === undefined ? loadOrCreateSecret(dataDir, 'admin-token', generateAdminToken) : undefined;
  return {
    kind: 'standalone',
    mode: 'standalone',
    port,
    issuer,
    dataDir,
    kek: new Secret(kek),
    adminToken: new Secret(tokenRaw !== undefined ? parseAdminToken(tokenRaw) : stored!.value),
    adminTokenGenerated: stored?.generated ?? false,
    ...serving(env),
    ...common(env),
  };
}

function loadCli(env: Env): CliConfig {
  const databaseUrl = read(env, 'DATABASE_URL');
  const brokers = read(env, 'KAFKA_BROKERS');
  const kekRaw = read(env, 'TESSERA_KEK');
  return {
    kind: 'cli',
    mode: 'cli',
    databaseUrl: databaseUrl === undefined ? undefined : new Secret(parseDatabaseUrl(databaseUrl)),
    dataDir: parseDataDir(env),
    kafkaBrokers: brokers === undefined ? undefined : parseBrokers(brokers),
    kek: kekRaw === undefined ? undefined : new Secret(parseKek(kekRaw)),
    ...common(env),
  };
}

function common(env: Env): { logLevel: StandaloneConfig['logLevel']; topics: TopicConfig; otlpEndpoint?: string } {
  const partitions = read(env, 'TESSERA_TOPIC_PARTITIONS');
  const retention = read(env, 'TESSERA_TOPIC_RETENTION_MS');
  return {
    logLevel: parseLogLevel(env),
    topics: {
      prefix: parseTopicPrefix(env),
      partitions:
        partitions === undefined
          ? DEFAULT_TOPIC_PARTITIONS
          : parseInteger('TESSERA_TOPIC_PARTITIONS', partitions, 1, 1000),
      // -1 is Kafka's "keep forever".
      retentionMs:
        retention === undefined
          ? DEFAULT_TOPIC_RETENTION_MS
          : retention === '-1'
            ? -1
            : parseInteger('TESSERA_TOPIC_RETENTION_MS', retention, 60_000, Number.MAX_SAFE_INTEGER),
    },
    otlpEndpoint: parseOptionalUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
  };
}

function serving(env: Env): Pick<ServiceConfig, 'trustedProxies' | 'auditRetentionDays' | 'gatewaySecret'> {
  const gatewaySecret = parseGatewaySecret(env);
  return {
    trustedProxies: parseTrustedProxies(env),
    auditRetentionDays: parseAuditRetentionDays(env),
    ...(gatewaySecret === undefined ? {} : { gatewaySecret: new Secret(gatewaySecret) }),
  };
}

function parseDataDir(env: Env): string {
  const raw = read(env, 'TESSERA_DATA_DIR') ?? DEFAULT_DATA_DIR;
  return raw === MEMORY_DATA_DIR ? MEMORY_DATA_DIR : resolve(raw);
}

/** The standalone data dir's KEK (created at first use), for CLI commands working on that data dir. */
export function loadStoredKek(dataDir: string): Secret<Buffer> {
  return new Secret(storedKek(dataDir));
}

function storedKek(dataDir: string): Buffer {
  const { value } = loadOrCreateSecret(dataDir, 'kek', generateKek);
  try {
    return parseKek(value);
  } catch {
    throw new ConfigError('TESSERA_KEK', `stored in ${dataDir}/kek is not base64 of 32 bytes; restore or remove it`);
  }
}

function freeze<T extends object>(config: T): Readonly<T> {
  for (const value of Object.values(config)) {
    if (value && typeof value === 'object' && !(value instanceof Secret)) Object.freeze(value);
  }
  return Object.freeze(config);
}
