import {
  refreshFamilyStream,
  type RefreshFamilyRevokedData,
  type RefreshFamilyStartedData,
  TokenEvents,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';

/** Whether a refresh family still stands: revoking it revokes every access token it issued (DESIGN §5). */
export interface RefreshFamilyRow {
  familyId: string;
  revoked: boolean;
}

/** Pure: folds one family event into its row. */
export function evolveRefreshFamily(state: RefreshFamilyRow | null, event: RecordedEvent): RefreshFamilyRow | null {
  switch (event.type) {
    case TokenEvents.refreshFamilyStarted: {
      const { familyId } = event.data as unknown as RefreshFamilyStartedData;
      return { familyId, revoked: state?.revoked ?? false };
    }
    case TokenEvents.refreshFamilyRevoked: {
      const { familyId } = event.data as unknown as RefreshFamilyRevokedData;
      return { familyId, revoked: true };
    }
    default:
      return state;
  }
}

/**
 * `introspection.refresh_families`: refresh family id → revoked or not
 * (issue 4 §2). An access token that names a family is active only while its
 * family is; a miss reads the family's stream (DESIGN §4 read-through).
 */
export const refreshFamiliesProjection: Projection<RefreshFamilyRow> = {
  name: 'refresh_families',
  schema: 'introspection',
  version: 1,
  eventTypes: [TokenEvents.refreshFamilyStarted, TokenEvents.refreshFamilyRevoked],
  keyOf: (e) => {
    const familyId = (e.data as { familyId?: unknown }).familyId;
    return typeof familyId === 'string' ? familyId : null;
  },
  evolve: evolveRefreshFamily,
  streamsOf: (familyId) => [refreshFamilyStream(familyId)],
};
