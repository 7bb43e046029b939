/** The platform's services and their default HTTP ports (DESIGN §1, §9). */
export const SERVICES = {
  authentication: { defaultPort: 4001 },
  token: { defaultPort: 4002 },
  introspection: { defaultPort: 4003 },
  consent: { defaultPort: 4004 },
  audit: { defaultPort: 4005 },
} as const;

/** A service name; also its database schema and the suffix of its role `tessera_<name>`. */
export type ServiceName = keyof typeof SERVICES;

/** Every service name, in DESIGN order. */
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** The standalone process's default port. */
export const STANDALONE_DEFAULT_PORT = 4000;

/** The configuration variables every service reads (DESIGN §9); nothing else is read from the environment. */
export const CONFIG_VARIABLES = [
  'PORT',
  'TESSERA_ISSUER',
  'TESSERA_ADMIN_TOKEN',
  'DATABASE_URL',
  'TESSERA_DATA_DIR',
  'KAFKA_BROKERS',
  'TESSERA_KEK',
  'TESSERA_TOPIC_PREFIX',
  'TESSERA_TOPIC_PARTITIONS',
  'TESSERA_TOPIC_RETENTION_MS',
  'TESSERA_LOG_LEVEL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'TESSERA_TRUSTED_PROXIES',
  'TESSERA_AUDIT_RETENTION_DAYS',
  'TESSERA_GATEWAY_SECRET',
] as const;

/** The database role of a service. */
export function serviceRole(service: ServiceName): string {
  return `tessera_${service}`;
}
