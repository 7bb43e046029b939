import { TokenEvents, type RefreshFamilyStartedData, type RefreshTokenRotatedData } from '@tessera/contracts';
import type { Projection } from '@tessera/projections';

/** A refresh token's row: which family it belongs to. Whether it is live is the family stream's call. */
export interface RefreshTokenRow {
  familyId: string;
}

/**
 * `token.refresh_tokens`: refresh token handle → family, for every token a
 * family ever issued (a spent one must still lead to its family to detect
 * reuse). Rows never change after they are written.
 */
export const refreshTokensProjection: Projection<RefreshTokenRow> = {
  name: 'refresh_tokens',
  schema: 'token',
  version: 1,
  eventTypes: [TokenEvents.refreshFamilyStarted, TokenEvents.refreshTokenRotated],
  keyOf: (e) => {
    const d = e.data as unknown as RefreshFamilyStartedData | RefreshTokenRotatedData;
    return typeof d.refreshHandle === 'string' ? d.refreshHandle : null;
  },
  evolve: (_state, e) => ({ familyId: String(e.data.familyId) }),
};
