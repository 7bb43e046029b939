import type { LogLevel } from '@tessera/telemetry';
import type { ServiceName } from '../services';
import type { Secret } from './secret';

/** What `loadConfig` is asked to load. */
export type ConfigKind = ServiceName | 'standalone' | 'cli';

/** Topic settings applied by the migrate step (DESIGN §3). */
export interface TopicConfig {
  /** Prefix before every topic name (`<prefix>.iam.…`); empty in production. */
  prefix: string;
  partitions: number;
  retentionMs: number;
}

interface CommonConfig {
  logLevel: LogLevel;
  topics: TopicConfig;
  /** OpenTelemetry collector (issue 7); undefined means no export. */
  otlpEndpoint?: string;
}

interface ServingConfig extends CommonConfig {
  port: number;
  /** Public base URL, no trailing slash (DESIGN §1: the issuer). */
  issuer: string;
  /** Key-encryption key for private signing keys: 32 bytes. */
  kek: Secret<Buffer>;
  /** Bearer for the admin APIs. */
  adminToken: Secret<string>;
  /** What nginx sends in `X-Tessera-Gateway-Secret` to `/gateway/phantom`; undefined: that endpoint refuses all. */
  gatewaySecret?: Secret<string>;
  /** Proxies (IPs/CIDRs) whose X-Forwarded-For sets the client address; empty: none. */
  trustedProxies: readonly string[];
  /** Audit records older than this many days may be pruned (audit service, standalone). */
  auditRetentionDays: number;
}

/** One service in distributed mode: PostgreSQL + Kafka. */
export interface ServiceConfig extends ServingConfig {
  kind: ServiceName;
  mode: 'distributed';
  databaseUrl: Secret<string>;
  kafkaBrokers: string[];
}

/** All services in one process: PGlite + in-process bus (DESIGN §6). */
export interface StandaloneConfig extends ServingConfig {
  kind: 'standalone';
  mode: 'standalone';
  /** Folder of the embedded database and generated secrets, or `memory`. */
  dataDir: string;
  /** True when this start generated the admin token (it is printed once). */
  adminTokenGenerated: boolean;
}

/** The `tessera` command line: either a PostgreSQL URL or the standalone data dir. */
export interface CliConfig extends CommonConfig {
  kind: 'cli';
  mode: 'cli';
  databaseUrl?: Secret<string>;
  dataDir: string;
  kafkaBrokers?: string[];
  /** TESSERA_KEK when set (`tessera keys` needs it with DATABASE_URL; else see `loadStoredKek`). */
  kek?: Secret<Buffer>;
}

/** Any loaded configuration. */
export type TesseraConfig = ServiceConfig | StandaloneConfig | CliConfig;

/** The configuration a given kind loads. */
export type ConfigFor<K extends ConfigKind> = K extends 'standalone'
  ? StandaloneConfig
  : K extends 'cli'
    ? CliConfig
    : ServiceConfig;
