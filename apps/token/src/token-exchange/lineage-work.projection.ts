import {
  type AccessTokenRevokedData,
  type RefreshFamilyRevokedData,
  TokenEvents,
  TokenExchangeEvents,
  type TokenExchangedData,
  type TokenLineageRevokedData,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';

/** A revocation that did not handle lineage, of a token or family that tokens were exchanged from. */
export interface UnhandledRevocation {
  sourceEventId: string;
  /** The revoked access tokens whose descendants are to revoke. */
  roots: string[];
  clientId: string;
  sub: string;
  cause: string;
  revokedAt: string;
}

/** One family id or standalone access token handle that tokens were exchanged from. */
export interface LineageWorkRow {
  key: string;
  /** Set by its revocation, until the lineage reaction has revoked the descendants. */
  revoked?: UnhandledRevocation;
  /** `'true'` while `revoked` waits for the reaction: its work list (indexed). */
  pending?: 'true';
}

/** A revocation the lineage revoker appended lists its descendants (maybe none): nothing left to do. */
function handled(data: Record<string, unknown>): boolean {
  return data.descendantHandles !== undefined || data.reason === 'ancestor_revoked' || data.reason === 'family_revoked';
}

/** The row an event concerns: tokens exchanged from a family's tokens go by the family. */
export function lineageKeyOf(e: RecordedEvent): string | null {
  switch (e.type) {
    case TokenExchangeEvents.tokenExchanged: {
      const d = e.data as unknown as TokenExchangedData;
      return d.parentFamilyId ?? d.parentHandle;
    }
    case TokenEvents.accessTokenRevoked:
      return handled(e.data) ? null : (e.data as unknown as AccessTokenRevokedData).handle;
    case TokenEvents.refreshFamilyRevoked:
      return handled(e.data) ? null : (e.data as unknown as RefreshFamilyRevokedData).familyId;
    case TokenExchangeEvents.tokenLineageRevoked:
      return (e.data as unknown as TokenLineageRevokedData).key;
    default:
      return null;
  }
}

/**
 * Pure fold. A row exists only for what tokens were exchanged from, so a
 * revocation of anything else leaves no row; once the reaction recorded the
 * cascade (`token-lineage.revoked`) the row goes: no more exchanges can come
 * from a revoked token.
 */
export function evolveLineageWork(state: LineageWorkRow | null, e: RecordedEvent): LineageWorkRow | null {
  const key = lineageKeyOf(e);
  if (key === null) return state;
  const revocation = (roots: string[], d: { clientId: string; sub: string; reason: string; revokedAt: string }) =>
    state && {
      key,
      revoked: {
        sourceEventId: e.id,
        roots,
        clientId: d.clientId,
        sub: d.sub,
        cause: d.reason,
        revokedAt: d.revokedAt,
      },
      pending: 'true' as const,
    };
  switch (e.type) {
    case TokenExchangeEvents.tokenExchanged:
      return state ?? { key };
    case TokenEvents.accessTokenRevoked: {
      const d = e.data as unknown as AccessTokenRevokedData;
      return revocation([d.handle], d);
    }
    case TokenEvents.refreshFamilyRevoked: {
      const d = e.data as unknown as RefreshFamilyRevokedData;
      return revocation([...d.accessTokenHandles], d);
    }
    case TokenExchangeEvents.tokenLineageRevoked:
      return null;
    default:
      return state;
  }
}

/**
 * `token.lineage_work` (RFC 8693 lineage, DESIGN §5): families and tokens that
 * tokens were exchanged from, and those a revocation outside the lineage
 * revoker (refresh token reuse, consent revoked, code replay) revoked without
 * revoking their descendants: the lineage reaction's work list.
 */
export const lineageWorkProjection: Projection<LineageWorkRow> = {
  name: 'lineage_work',
  schema: 'token',
  version: 1,
  eventTypes: [
    TokenExchangeEvents.tokenExchanged,
    TokenEvents.accessTokenRevoked,
    TokenEvents.refreshFamilyRevoked,
    TokenExchangeEvents.tokenLineageRevoked,
  ],
  keyOf: lineageKeyOf,
  evolve: evolveLineageWork,
  indexes: { pending: 'pending' },
};
