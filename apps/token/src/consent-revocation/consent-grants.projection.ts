import {
  type AccessTokenIssuedData,
  ConsentEvents,
  type ConsentRevokedData,
  type RefreshFamilyStartedData,
  TokenEvents,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';

/** The grants one consent allowed that may still be live, and whether the consent was revoked. */
export interface ConsentGrantsRow {
  consentId: string;
  /** Refresh family id → its absolute end (ISO 8601; '' when not seen yet). */
  families: Record<string, string>;
  /** Access tokens outside any family: handle → expiry (ISO 8601). */
  accessTokens: Record<string, string>;
  /** Set by `consent.revoked`. */
  revoked?: { sub: string; clientId: string; revokedAt: string };
  /** How many `grants.revoked` the row has folded: tells the reaction whether its own last cascade is in yet. */
  cascades?: number;
  /** `'true'` while the consent is revoked and grants are left to revoke: the reaction's work list (indexed). */
  pending?: 'true';
}

function unexpired(entries: Record<string, string>, at: number): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter(([, end]) => end === '' || Date.parse(end) > at));
}

/**
 * Pure fold keyed by consent id. Expired grants are dropped as events pass
 * (by the event's recorded time, so replays agree): they need no revocation,
 * and a long-lived consent's row stays small. `grants.revoked` clears what
 * the reaction has revoked.
 */
export function evolveConsentGrants(state: ConsentGrantsRow | null, e: RecordedEvent): ConsentGrantsRow | null {
  const consentId = e.data.consentId as string;
  const at = e.recordedAt.getTime();
  const row: ConsentGrantsRow = {
    consentId,
    families: unexpired(state?.families ?? {}, at),
    accessTokens: unexpired(state?.accessTokens ?? {}, at),
    ...(state?.revoked ? { revoked: state.revoked } : {}),
    ...(state?.cascades ? { cascades: state.cascades } : {}),
  };
  switch (e.type) {
    case TokenEvents.accessTokenIssued: {
      const d = e.data as unknown as AccessTokenIssuedData;
      // A token of a family is revoked with its family.
      if (d.familyId !== undefined) row.families[d.familyId] = row.families[d.familyId] ?? '';
      else row.accessTokens[d.handle] = d.expiresAt;
      break;
    }
    case TokenEvents.refreshFamilyStarted: {
      const d = e.data as unknown as RefreshFamilyStartedData;
      row.families[d.familyId] = d.expiresAt;
      break;
    }
    case ConsentEvents.revoked: {
      const d = e.data as unknown as ConsentRevokedData;
      row.revoked = { sub: d.sub, clientId: d.clientId, revokedAt: d.revokedAt };
      break;
    }
    case TokenEvents.grantsRevoked:
      // The reaction revoked what the row held; the rest was already revoked or expired
      // (an empty cascade closes a row whose late grants needed nothing).
      row.families = {};
      row.accessTokens = {};
      row.cascades = (row.cascades ?? 0) + 1;
      break;
    default:
      return state;
  }
  const work = Object.keys(row.families).length + Object.keys(row.accessTokens).length > 0;
  return row.revoked && work ? { ...row, pending: 'true' } : row;
}

/**
 * `token.consent_grants`: per consent id, the refresh families and access
 * tokens it allowed (`consentId` on their issuance) and its revocation
 * (DESIGN §5). The runner folds them in log order, so when a row turns
 * `pending` it lists every grant issued before the revocation.
 */
export const consentGrantsProjection: Projection<ConsentGrantsRow> = {
  name: 'consent_grants',
  schema: 'token',
  version: 2,
  eventTypes: [
    TokenEvents.accessTokenIssued,
    TokenEvents.refreshFamilyStarted,
    ConsentEvents.revoked,
    TokenEvents.grantsRevoked,
  ],
  keyOf: (e) => (typeof e.data.consentId === 'string' ? e.data.consentId : null),
  evolve: evolveConsentGrants,
  indexes: { pending: 'pending' },
};
