import { loadConfig } from '@tessera/platform';
import { auditSettingsFor, DEFAULT_AUDIT_SETTINGS } from './audit.settings';

const DAY_MS = 24 * 3600 * 1000;
const distributed = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: 'postgres://tessera@db.internal:5432/tessera',
  KAFKA_BROKERS: 'kafka-1:9092',
  TESSERA_KEK: Buffer.alloc(32, 5).toString('base64'),
  TESSERA_ADMIN_TOKEN: 'audit-admin-token-0123456789',
  ...extra,
});

describe('auditSettingsFor (TESSERA_AUDIT_RETENTION_DAYS)', () => {
  it('keeps 400 days by default', () => {
    expect(auditSettingsFor(loadConfig('audit', distributed())).retentionMs).toBe(400 * DAY_MS);
    expect(DEFAULT_AUDIT_SETTINGS.retentionMs).toBe(400 * DAY_MS);
  });

  it('takes the configured number of days and leaves the other settings alone', () => {
    const settings = auditSettingsFor(loadConfig('audit', distributed({ TESSERA_AUDIT_RETENTION_DAYS: '30' })));
    expect(settings).toEqual({ ...DEFAULT_AUDIT_SETTINGS, retentionMs: 30 * DAY_MS });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('applies to the standalone process too', () => {
    const config = loadConfig('standalone', { TESSERA_DATA_DIR: 'memory', TESSERA_AUDIT_RETENTION_DAYS: '1' });
    expect(auditSettingsFor(config).retentionMs).toBe(DAY_MS);
  });
});
