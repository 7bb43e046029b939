import {
  accessTokenStream,
  type AccessTokenIssuedData,
  type AccessTokenRevokedData,
  TokenEvents,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';

/** One access token as introspection needs it: the issuance facts and whether it was revoked on its own. */
export interface IssuedTokenRow extends AccessTokenIssuedData {
  revoked: boolean;
  /** RFC 8693 §4.1 delegation chain of an exchanged token (issue 6), when the event carries one. */
  act?: Record<string, unknown>;
}

/** Pure: folds one access-token event into its row. */
export function evolveIssuedToken(state: IssuedTokenRow | null, event: RecordedEvent): IssuedTokenRow | null {
  switch (event.type) {
    case TokenEvents.accessTokenIssued: {
      const data = event.data as unknown as AccessTokenIssuedData & { act?: unknown };
      const { act, ...facts } = data;
      const delegation = typeof act === 'object' && act !== null ? { act: act as Record<string, unknown> } : {};
      return { ...facts, ...delegation, revoked: state?.revoked ?? false };
    }
    case TokenEvents.accessTokenRevoked:
      return state && { ...state, revoked: true };
    default:
      return state;
  }
}

/**
 * `introspection.active_tokens`: every access token by handle (issue 4 §2),
 * with its own revocation applied. Its refresh family's revocation is the
 * family's row (`introspection.refresh_families`): one revocation event names
 * many handles, but a projection event has one key. A miss reads the token's
 * own stream, so a token is introspectable the instant it was issued (DESIGN §4).
 */
export const activeTokensProjection: Projection<IssuedTokenRow> = {
  name: 'active_tokens',
  schema: 'introspection',
  version: 1,
  eventTypes: [TokenEvents.accessTokenIssued, TokenEvents.accessTokenRevoked],
  keyOf: (e) => {
    const handle = (e.data as unknown as Partial<AccessTokenRevokedData>).handle;
    return typeof handle === 'string' ? handle : null;
  },
  evolve: evolveIssuedToken,
  streamsOf: (handle) => [accessTokenStream(handle)],
};
