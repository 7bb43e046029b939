import { isIP } from 'node:net';
import { LOG_LEVELS, type LogLevel } from '@tessera/telemetry';
import { ConfigError } from './config-error';

/** The environment as loadConfig sees it. */
export type Env = Readonly<Record<string, string | undefined>>;

// An empty variable counts as unset: compose files and shells often export `X=`.
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function required(env: Env, name: string, why: string): string {
  const value = read(env, name);
  if (value === undefined) throw new ConfigError(name, `is required ${why}`);
  return value;
}

export function parsePort(env: Env, fallback: number): number {
  const raw = read(env, 'PORT');
  if (raw === undefined) return fallback;
  return parseInteger('PORT', raw, 1, 65535);
}

export function parseInteger(name: string, raw: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** The issuer must be an absolute http(s) URL without query or fragment (RFC 8414 §2, OIDC Discovery §3). */
export function parseIssuer(env: Env, port: number): string {
  const raw = read(env, 'TESSERA_ISSUER');
  if (raw === undefined) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('TESSERA_ISSUER', `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('TESSERA_ISSUER', `must use http or https, got "${url.protocol}"`);
  }
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError('TESSERA_ISSUER', 'must not have a query or fragment');
  }
  if (url.username || url.password) throw new ConfigError('TESSERA_ISSUER', 'must not contain credentials');
  return url.toString().replace(/\/+$/, '');
}

/** Base64 (standard alphabet, padded) of exactly 32 bytes; the value itself is never echoed. */
export function parseKek(raw: string): Buffer {
  const canonical = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) && raw.length % 4 === 0;
  const bytes = canonical ? Buffer.from(raw, 'base64') : undefined;
  if (!bytes || bytes.length !== 32) {
    throw new ConfigError(
      'TESSERA_KEK',
      `must be base64 of exactly 32 bytes (${bytes ? `decodes to ${bytes.length} bytes` : 'not valid base64'}); generate one with: openssl rand -base64 32`,
    );
  }
  return bytes;
}

export const MIN_ADMIN_TOKEN_LENGTH = 16;

export function parseAdminToken(raw: string): string {
  if (raw.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(raw)) {
    throw new ConfigError(
      'TESSERA_ADMIN_TOKEN',
      `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without whitespace (value not shown)`,
    );
  }
  return raw;
}

/** Shortest accepted `TESSERA_GATEWAY_SECRET` (e.g. `openssl rand -base64 32` gives 44 characters). */
export const MIN_GATEWAY_SECRET_LENGTH = 32;

/**
 * `TESSERA_GATEWAY_SECRET`: the secret nginx sends to `/gateway/phantom`; unset disables that
 * endpoint. Base64/base64url/hex characters only, so that deploy/nginx/render.sh can put it in a
 * header directive; the value is never echoed.
 */
export function parseGatewaySecret(env: Env): string | undefined {
  const raw = read(env, 'TESSERA_GATEWAY_SECRET');
  if (raw === undefined) return undefined;
  if (raw.length < MIN_GATEWAY_SECRET_LENGTH || !/^[A-Za-z0-9._~+/=-]+$/.test(raw)) {
    throw new ConfigError(
      'TESSERA_GATEWAY_SECRET',
      `must be at least ${MIN_GATEWAY_SECRET_LENGTH} characters of [A-Za-z0-9._~+/=-], e.g. openssl rand -base64 32 (value not shown)`,
    );
  }
  return raw;
}

/** A PostgreSQL URL; it may hold a password, so the message never echoes it. */
export function parseDatabaseUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL with a host (value not shown)');
  }
  return raw;
}

export function parseBrokers(raw: string): string[] {
  const brokers = raw.split(',').map((b) => b.trim());
  for (const broker of brokers) {
    const match = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigError('KAFKA_BROKERS', `must be comma-separated host:port pairs, got "${broker}"`);
    }
  }
  return brokers;
}

export function parseLogLevel(env: Env): LogLevel {
  const raw = read(env, 'TESSERA_LOG_LEVEL');
  if (raw === undefined) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('TESSERA_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
}

export function parseTopicPrefix(env: Env): string {
  const raw = read(env, 'TESSERA_TOPIC_PREFIX') ?? '';
  // Kafka topic names: [a-zA-Z0-9._-], at most 249 characters in total.
  if (!/^[A-Za-z0-9._-]{0,100}$/.test(raw)) {
    throw new ConfigError('TESSERA_TOPIC_PREFIX', `must be up to 100 characters of [A-Za-z0-9._-], got "${raw}"`);
  }
  return raw.replace(/\.+$/, '');
}

export function parseOptionalUrl(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
}

/** Nginx in front on the same host (README, deploy/): only a loopback peer's X-Forwarded-For is believed. */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = Object.freeze(['127.0.0.1', '::1']);

/**
 * `TESSERA_TRUSTED_PROXIES`: comma-separated IPs or CIDRs of the reverse proxies
 * whose `X-Forwarded-For` decides the client address (`req.ip`, which login
 * throttling keys on); `none` trusts no one. Unset: loopback.
 */
export function parseTrustedProxies(env: Env): readonly string[] {
  const raw = read(env, 'TESSERA_TRUSTED_PROXIES');
  if (raw === undefined) return DEFAULT_TRUSTED_PROXIES;
  if (raw === 'none') return [];
  const entries = raw.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!isIpOrCidr(entry)) {
      throw new ConfigError(
        'TESSERA_TRUSTED_PROXIES',
        `must be comma-separated IP addresses or CIDRs (or none), got "${entry}"`,
      );
    }
  }
  return entries;
}

function isIpOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max;
}

/** Default audit retention (issue 7 §1): records older than this may be pruned. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 400;

/** `TESSERA_AUDIT_RETENTION_DAYS`: a positive whole number of days. */
export function parseAuditRetentionDays(env: Env): number {
  const raw = read(env, 'TESSERA_AUDIT_RETENTION_DAYS');
  if (raw === undefined) return DEFAULT_AUDIT_RETENTION_DAYS;
  // Upper bound keeps days × 86,400,000 ms a safe integer and a valid Date offset.
  return parseInteger('TESSERA_AUDIT_RETENTION_DAYS', raw, 1, 100_000);
}
