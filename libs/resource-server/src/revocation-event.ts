import { REVOCATION_EVENT_TYPE } from '@tessera/contracts';

export { REVOCATION_EVENT_TYPE };

/** The logical topic revocations are published on (DESIGN §3). */
export const REVOCATIONS_TOPIC = 'iam.revocations';

/** What a resource server needs from one revocation: identifiers only, never a token value. */
export interface Revocation {
  /** base64url(SHA-256(token value)) of every revoked token (the whole cascade). */
  handles: readonly string[];
  /** `jti`s of revoked JWTs, e.g. tokens exchanged from a revoked one, whose value the issuer may not know. */
  jtis: readonly string[];
  /** When it was revoked (ms since the epoch); the receipt time when absent. */
  revokedAtMs?: number;
  /** When the last covered token expires (ms), if the event says. */
  expiresAtMs?: number;
}

/** Reads a `tessera.revocation.v1` CloudEvent; null for any other or malformed event (it is skipped). */
export function readRevocationEvent(event: unknown): Revocation | null {
  if (!isRecord(event) || event.type !== REVOCATION_EVENT_TYPE || !isRecord(event.data)) return null;
  const { data } = event;
  const handles = strings(data.handles);
  const jtis = strings(data.jtis);
  if (handles.length === 0 && jtis.length === 0) return null;
  return { handles, jtis, revokedAtMs: epochMs(data.revokedAt), expiresAtMs: epochMs(data.expiresAt) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function epochMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
