// The audit trail (issue 7 §1, DESIGN §1, §3): one record per log event, PII-free
// (ids only: never a token value, hash, secret, ciphertext or claim value), chained
// by SHA-256 and published on `iam.audit` for SIEMs.

/** CloudEvent type of an audit record on `iam.audit`. */
export const AUDIT_EVENT_TYPE = 'tessera.audit.v1';

/** The CloudEvent `source` of `tessera.audit.v1`: the audit service. */
export const AUDIT_SOURCE = 'urn:tessera:audit';

/** JOSE `typ` of a signed chain checkpoint (a JWS over AuditCheckpointClaims). */
export const AUDIT_CHECKPOINT_TYP = 'audit-checkpoint+jwt';

/** Who caused an event: `user:<id>`, `client:<id>`, `service:<name>`, `system[:<name>]`, or unknown. */
export interface AuditActor {
  kind: 'user' | 'client' | 'service' | 'system' | 'unknown';
  /** The id after the prefix (absent for bare `system` or unknown). */
  id?: string;
  /** RFC 8693 §4.1 delegation chain, current actor first: ids only. */
  act?: { sub?: string; clientId?: string }[];
}

/** `success`, or why a grant ended early (a revocation, a detected replay per RFC 9700 §4.14/§4.5). */
export type AuditOutcome = 'success' | 'revoked' | 'replay-detected';

/** One audit record as hashed and published (canonical JSON of it, with `seq`, is hashed). */
export interface AuditRecord {
  /** Position in the chain, from 1, without gaps. */
  seq: number;
  /** The log event's id and global position. */
  eventId: string;
  position: number;
  /** When the log recorded the event (ISO 8601, UTC). */
  time: string;
  /** The log event type, e.g. `access-token.issued`. */
  action: string;
  actor: AuditActor;
  /** The user (or client, for client credentials) the event is about, by id. */
  subject?: string;
  /** The client concerned, by client_id. */
  clientId?: string;
  /** The stream and the ids of what the event is about (handles, family, consent, kid …). */
  target: { stream: string; ids: Record<string, string | string[]> };
  scopes?: string[];
  /** Names of the claims released (never their values). */
  claims?: string[];
  outcome: AuditOutcome;
  /** A revocation's reason. */
  reason?: string;
  correlationId?: string;
  /** W3C trace id (32 hex) from the event's traceparent. */
  traceId?: string;
}

/** Data of `tessera.audit.v1`: the record and its link in the chain. */
export interface AuditMessageData {
  record: AuditRecord;
  /** Hex SHA-256 of the previous record's link (64 zeros for the first). */
  prevHash: string;
  /** Hex SHA-256 over (prevHash, canonical JSON of the record). */
  hash: string;
}

/** The payload of a signed checkpoint: the chain up to `seq` ends in `hash`. */
export interface AuditCheckpointClaims {
  iss: string;
  seq: number;
  hash: string;
  /** Seconds since the epoch. */
  iat: number;
}
