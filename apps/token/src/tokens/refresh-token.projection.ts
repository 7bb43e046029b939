import { refreshTokenStream, TokenEvents, type RefreshTokenIssuedData } from '@tessera/contracts';
import type { Projection } from '@tessera/projections';

/** A refresh token's row: which family it belongs to. Whether it is live is the family stream's call. */
export interface RefreshTokenRow {
  familyId: string;
}

/**
 * `token.refresh_tokens`: refresh token handle → family, for every token a
 * family ever issued (a spent one must still lead to its family to detect
 * reuse). Rows never change after they are written; a miss reads the token's
 * own stream, so a token is usable the instant it was issued.
 */
export const refreshTokensProjection: Projection<RefreshTokenRow> = {
  name: 'refresh_tokens',
  schema: 'token',
  // 2: rows come from refresh-token.issued (one stream per token) instead of the family's events.
  version: 2,
  eventTypes: [TokenEvents.refreshTokenIssued],
  keyOf: (e) => (e.data as unknown as RefreshTokenIssuedData).handle,
  evolve: (_state, e) => ({ familyId: (e.data as unknown as RefreshTokenIssuedData).familyId }),
  streamsOf: (handle) => [refreshTokenStream(handle)],
};
