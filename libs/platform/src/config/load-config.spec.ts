import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from './config-error';
import { DEFAULT_TOPIC_PARTITIONS, DEFAULT_TOPIC_RETENTION_MS, loadConfig } from './load-config';

const KEK = Buffer.alloc(32, 7).toString('base64');
const ADMIN = 'admin-token-0123456789abcdef';
const DB_PASSWORD = 'hunter2-db-password';

const distributed = (overrides: Record<string, string | undefined> = {}) => ({
  DATABASE_URL: `postgres://tessera:${DB_PASSWORD}@db.internal:5432/tessera`,
  KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
  TESSERA_KEK: KEK,
  TESSERA_ADMIN_TOKEN: ADMIN,
  ...overrides,
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig for a distributed service', () => {
  it('applies the DESIGN §9 defaults', () => {
    const config = loadConfig('token', distributed());
    expect(config.mode).toBe('distributed');
    expect(config.port).toBe(4002);
    expect(config.issuer).toBe('http://localhost:4002');
    expect(config.kafkaBrokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.kek.reveal()).toEqual(Buffer.alloc(32, 7));
    expect(config.adminToken.reveal()).toBe(ADMIN);
    expect(config.topics).toEqual({
      prefix: '',
      partitions: DEFAULT_TOPIC_PARTITIONS,
      retentionMs: DEFAULT_TOPIC_RETENTION_MS,
    });
    expect(config.logLevel).toBe('info');
    expect(config.otlpEndpoint).toBeUndefined();
    expect(config.trustedProxies).toEqual(['127.0.0.1', '::1']);
    expect(config.auditRetentionDays).toBe(400);
    expect(loadConfig('audit', distributed()).port).toBe(4005);
  });

  it('reads overrides and derives the issuer without a trailing slash', () => {
    const config = loadConfig(
      'consent',
      distributed({
        PORT: '8080',
        TESSERA_ISSUER: 'https://id.example.com/',
        TESSERA_TOPIC_PREFIX: 'test-1',
        TESSERA_TOPIC_PARTITIONS: '6',
        TESSERA_TOPIC_RETENTION_MS: '-1',
        TESSERA_LOG_LEVEL: 'debug',
        TESSERA_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,fd00::/8,2001:db8::1',
        TESSERA_AUDIT_RETENTION_DAYS: '30',
      }),
    );
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '2001:db8::1']);
    expect(config.auditRetentionDays).toBe(30);
    expect(config.port).toBe(8080);
    expect(config.issuer).toBe('https://id.example.com');
    expect(config.topics).toEqual({ prefix: 'test-1', partitions: 6, retentionMs: -1 });
    expect(config.logLevel).toBe('debug');
  });

  it('trusts no proxy with TESSERA_TRUSTED_PROXIES=none', () => {
    expect(loadConfig('authentication', distributed({ TESSERA_TRUSTED_PROXIES: 'none' })).trustedProxies).toEqual([]);
  });

  it('is frozen', () => {
    const config = loadConfig('token', distributed());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.topics)).toBe(true);
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }, 'required'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x@y/z' }, 'postgres://'],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: '' }, 'required'],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: 'kafka-1' }, 'host:port'],
    ['TESSERA_KEK', { TESSERA_KEK: undefined }, 'required'],
    ['TESSERA_KEK', { TESSERA_KEK: Buffer.alloc(16).toString('base64') }, '32 bytes'],
    ['TESSERA_KEK', { TESSERA_KEK: 'not base64!' }, 'not valid base64'],
    ['TESSERA_ADMIN_TOKEN', { TESSERA_ADMIN_TOKEN: undefined }, 'required'],
    ['TESSERA_ADMIN_TOKEN', { TESSERA_ADMIN_TOKEN: 'short' }, 'at least'],
    ['PORT', { PORT: 'eighty' }, 'integer'],
    ['PORT', { PORT: '70000' }, 'integer'],
    ['TESSERA_ISSUER', { TESSERA_ISSUER: 'id.example.com' }, 'absolute'],
    ['TESSERA_ISSUER', { TESSERA_ISSUER: 'ftp://id.example.com' }, 'http'],
    ['TESSERA_ISSUER', { TESSERA_ISSUER: 'https://id.example.com/?a=b' }, 'query'],
    ['TESSERA_ISSUER', { TESSERA_ISSUER: 'https://id.example.com/#top' }, 'fragment'],
    ['TESSERA_TOPIC_PREFIX', { TESSERA_TOPIC_PREFIX: 'bad prefix' }, 'A-Za-z0-9'],
    ['TESSERA_TOPIC_PARTITIONS', { TESSERA_TOPIC_PARTITIONS: '0' }, 'integer'],
    ['TESSERA_TOPIC_RETENTION_MS', { TESSERA_TOPIC_RETENTION_MS: '10' }, 'integer'],
    ['TESSERA_LOG_LEVEL', { TESSERA_LOG_LEVEL: 'loud' }, 'one of'],
    ['TESSERA_TRUSTED_PROXIES', { TESSERA_TRUSTED_PROXIES: 'nginx' }, 'IP addresses or CIDRs'],
    ['TESSERA_TRUSTED_PROXIES', { TESSERA_TRUSTED_PROXIES: '10.0.0.1,,10.0.0.2' }, 'got ""'],
    ['TESSERA_TRUSTED_PROXIES', { TESSERA_TRUSTED_PROXIES: '10.0.0.0/33' }, 'IP addresses or CIDRs'],
    ['TESSERA_TRUSTED_PROXIES', { TESSERA_TRUSTED_PROXIES: '256.0.0.1' }, 'IP addresses or CIDRs'],
    ['TESSERA_TRUSTED_PROXIES', { TESSERA_TRUSTED_PROXIES: '::1/129' }, 'IP addresses or CIDRs'],
    ['TESSERA_AUDIT_RETENTION_DAYS', { TESSERA_AUDIT_RETENTION_DAYS: '0' }, 'integer from 1'],
    ['TESSERA_AUDIT_RETENTION_DAYS', { TESSERA_AUDIT_RETENTION_DAYS: '-5' }, 'integer from 1'],
    ['TESSERA_AUDIT_RETENTION_DAYS', { TESSERA_AUDIT_RETENTION_DAYS: '1.5' }, 'integer from 1'],
    ['TESSERA_AUDIT_RETENTION_DAYS', { TESSERA_AUDIT_RETENTION_DAYS: '400d' }, 'integer from 1'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'URL'],
  ])('names %s when it is wrong (%j)', (variable, overrides, problem) => {
    const err = configError(() => loadConfig('authentication', distributed(overrides)));
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(variable)).toBe(true);
    expect(err.message).toContain(problem);
  });

  it('never echoes a secret value in its message', () => {
    const badKek = Buffer.alloc(31, 9).toString('base64');
    const badToken = 'sec ret-token-with-space';
    const badUrl = `mysql://u:${DB_PASSWORD}@h/d`;
    for (const env of [
      distributed({ TESSERA_KEK: badKek }),
      distributed({ TESSERA_ADMIN_TOKEN: badToken }),
      distributed({ DATABASE_URL: badUrl }),
    ]) {
      const err = configError(() => loadConfig('token', env));
      for (const secret of [badKek, badToken, DB_PASSWORD, badUrl]) expect(err.message).not.toContain(secret);
    }
  });

  it('reads TESSERA_GATEWAY_SECRET as a Secret; unset leaves the gateway endpoint without one', () => {
    expect(loadConfig('token', distributed()).gatewaySecret).toBeUndefined();
    const secret = 'gw-secret-0123456789abcdefghijklmnopqrstuv';
    const config = loadConfig('introspection', distributed({ TESSERA_GATEWAY_SECRET: secret }));
    expect(config.gatewaySecret?.reveal()).toBe(secret);
    expect(JSON.stringify(config) + inspect(config, { depth: 5 })).not.toContain(secret);
    for (const bad of ['too-short-0123456789', `${secret} x`, `${secret}";`]) {
      const err = configError(() => loadConfig('introspection', distributed({ TESSERA_GATEWAY_SECRET: bad })));
      expect(err.variable).toBe('TESSERA_GATEWAY_SECRET');
      expect(err.message).not.toContain(bad);
    }
  });

  it('prints secrets as [redacted] when the config is serialised or inspected', () => {
    const config = loadConfig('token', distributed());
    const text = JSON.stringify(config) + inspect(config, { depth: 5 }) + String(config.adminToken);
    expect(text).not.toContain(ADMIN);
    expect(text).not.toContain(KEK);
    expect(text).not.toContain(DB_PASSWORD);
    expect(text).toContain('[redacted]');
  });
});

describe('loadConfig for standalone', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to port 4000 and needs neither database nor Kafka', () => {
    const config = loadConfig('standalone', { TESSERA_DATA_DIR: dir });
    expect(config.port).toBe(4000);
    expect(config.issuer).toBe('http://localhost:4000');
    expect(config.dataDir).toBe(dir);
    expect(config.trustedProxies).toEqual(['127.0.0.1', '::1']);
    expect(config.auditRetentionDays).toBe(400);
  });

  it('reads TESSERA_AUDIT_RETENTION_DAYS and names it when it is not a positive integer', () => {
    expect(
      loadConfig('standalone', { TESSERA_DATA_DIR: dir, TESSERA_AUDIT_RETENTION_DAYS: '7' }).auditRetentionDays,
    ).toBe(7);
    const err = configError(() =>
      loadConfig('standalone', { TESSERA_DATA_DIR: dir, TESSERA_AUDIT_RETENTION_DAYS: '0' }),
    );
    expect(err.variable).toBe('TESSERA_AUDIT_RETENTION_DAYS');
  });

  it('generates the KEK and admin token once, keeps them in the data dir with mode 0600', () => {
    const first = loadConfig('standalone', { TESSERA_DATA_DIR: dir });
    expect(first.adminTokenGenerated).toBe(true);
    expect(first.kek.reveal()).toHaveLength(32);
    for (const file of ['kek', 'admin-token']) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(first.adminToken.reveal());

    const second = loadConfig('standalone', { TESSERA_DATA_DIR: dir });
    expect(second.adminTokenGenerated).toBe(false);
    expect(second.adminToken.reveal()).toBe(first.adminToken.reveal());
    expect(second.kek.reveal()).toEqual(first.kek.reveal());
  });

  it('generates fresh secrets per process in memory mode and writes nothing', () => {
    const a = loadConfig('standalone', { TESSERA_DATA_DIR: 'memory' });
    const b = loadConfig('standalone', { TESSERA_DATA_DIR: 'memory' });
    expect(a.dataDir).toBe('memory');
    expect(a.adminTokenGenerated).toBe(true);
    expect(a.adminToken.reveal()).not.toBe(b.adminToken.reveal());
  });

  it('uses TESSERA_ADMIN_TOKEN and TESSERA_KEK when given, and validates them', () => {
    const config = loadConfig('standalone', { TESSERA_DATA_DIR: dir, TESSERA_ADMIN_TOKEN: ADMIN, TESSERA_KEK: KEK });
    expect(config.adminTokenGenerated).toBe(false);
    expect(config.adminToken.reveal()).toBe(ADMIN);
    expect(configError(() => loadConfig('standalone', { TESSERA_DATA_DIR: dir, TESSERA_KEK: 'abc' })).variable).toBe(
      'TESSERA_KEK',
    );
  });

  it('names TESSERA_KEK when the stored key is corrupt', () => {
    loadConfig('standalone', { TESSERA_DATA_DIR: dir });
    require('node:fs').writeFileSync(join(dir, 'kek'), 'garbage');
    expect(configError(() => loadConfig('standalone', { TESSERA_DATA_DIR: dir })).message).toMatch(
      /^TESSERA_KEK stored in/,
    );
  });
});

describe('loadConfig for the cli', () => {
  it('accepts an empty environment (standalone data dir) and validates what is set', () => {
    const config = loadConfig('cli', {});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.dataDir).toMatch(/\.data$/);
    expect(configError(() => loadConfig('cli', { KAFKA_BROKERS: 'nope' })).variable).toBe('KAFKA_BROKERS');
  });
});
