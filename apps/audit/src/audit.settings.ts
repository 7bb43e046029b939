import { DEFAULT_AUDIT_RETENTION_DAYS, type TesseraConfig } from '@tessera/platform';

/** How the audit trail is kept (issue 7 §1). */
export interface AuditSettings {
  /** Events per consumer batch (one transaction). */
  batchSize: number;
  /** Poll fallback when no NOTIFY arrives. */
  pollIntervalMs: number;
  /** A checkpoint is signed after this many new records … */
  checkpointEveryRecords: number;
  /** … or this long after the last one, when any record is new. */
  checkpointEveryMs: number;
  /** Records older than this may be pruned (down to the newest signed checkpoint before them). */
  retentionMs: number;
  /** How often pruning runs. */
  pruneIntervalMs: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Defaults; the retention comes from `TESSERA_AUDIT_RETENTION_DAYS` (see auditSettingsFor). */
export const DEFAULT_AUDIT_SETTINGS: AuditSettings = Object.freeze({
  batchSize: 500,
  pollIntervalMs: 500,
  checkpointEveryRecords: 1000,
  checkpointEveryMs: 60_000,
  retentionMs: DEFAULT_AUDIT_RETENTION_DAYS * DAY_MS,
  pruneIntervalMs: 3600 * 1000,
});

/** The settings of a process: the defaults with its configured retention (audit service, standalone). */
export function auditSettingsFor(config: TesseraConfig): AuditSettings {
  const days = 'auditRetentionDays' in config ? config.auditRetentionDays : DEFAULT_AUDIT_RETENTION_DAYS;
  return Object.freeze({ ...DEFAULT_AUDIT_SETTINGS, retentionMs: days * DAY_MS });
}

/** Injection token of the AuditSettings (tests override it). */
export const AUDIT_SETTINGS = Symbol('tessera:audit-settings');
