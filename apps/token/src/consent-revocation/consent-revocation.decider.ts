import {
  accessTokenStream,
  type AccessTokenRevokedData,
  consentRevocationStream,
  type GrantsRevokedData,
  type RefreshFamilyRevokedData,
  refreshFamilyStream,
  TokenEvents,
} from '@tessera/contracts';
import type { AppendRequest, RecordedEvent } from '@tessera/event-store';
import type { AccessTokenState } from '../tokens/access-token.decider';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';
import { decideRefreshFamily, type RefreshFamilyState } from '../tokens/refresh-family.decider';

/** A stream folded to its state, with the version the append must expect. */
export interface Folded<S> {
  state: S | null;
  version: number;
}

/** Everything the decision reads: the revoked consent, its grants as their streams hold them, and earlier cascades. */
export interface RevokeConsentGrants {
  consentId: string;
  sub: string;
  clientId: string;
  families: readonly Folded<RefreshFamilyState>[];
  accessTokens: readonly Folded<AccessTokenState>[];
  /** The `consentrevocation-<consentId>` stream so far. */
  cascades: readonly RecordedEvent[];
  /** How many of those cascades the work-list row has folded (`ConsentGrantsRow.cascades`). */
  cascadesSeen: number;
}

/**
 * Pure (STYLE 5): revokes every live grant of a revoked consent (DESIGN §5).
 * Each family and token records its own revocation (reason `consent_revoked`,
 * so the refresh grant and every read model see it on their own stream), and
 * one `grants.revoked` on `consentrevocation-<consentId>` lists the whole
 * cascade, for one message on `iam.revocations`. All in one transaction, each
 * at the version it was read at: a concurrent rotation or a second replica
 * makes it fail whole, and the next attempt decides on what they wrote.
 * Nothing left to revoke (late grants of a revoked family, expired tokens):
 * an empty cascade still closes the row, so it cannot stay pending; unless
 * the row has not folded the last cascade yet, which will close it: no appends.
 */
export function decideConsentRevocation(input: RevokeConsentGrants, meta: CommandMeta): AppendRequest[] {
  const appends: AppendRequest[] = [];
  const revoked: Pick<GrantsRevokedData, 'refreshFamilyIds' | 'refreshHandles' | 'accessTokenHandles'> = {
    refreshFamilyIds: [],
    refreshHandles: [],
    accessTokenHandles: [],
  };
  for (const { state, version } of input.families) {
    if (state === null) continue;
    const events = decideRefreshFamily(
      state,
      { type: 'RevokeRefreshFamily', clientId: state.clientId, reason: 'consent_revoked' },
      meta,
    );
    if (events.length === 0) continue;
    const d = events[0].data as unknown as RefreshFamilyRevokedData;
    revoked.refreshFamilyIds.push(d.familyId);
    revoked.refreshHandles.push(...d.refreshHandles);
    revoked.accessTokenHandles.push(...d.accessTokenHandles);
    appends.push({ streamId: refreshFamilyStream(state.familyId), expectedVersion: version, events });
  }
  for (const { state, version } of input.accessTokens) {
    if (state === null || state.revoked || Date.parse(state.expiresAt) <= meta.now.getTime()) continue;
    const data: AccessTokenRevokedData = {
      handle: state.handle,
      clientId: state.clientId,
      sub: state.sub,
      reason: 'consent_revoked',
      revokedAt: meta.now.toISOString(),
    };
    revoked.accessTokenHandles.push(state.handle);
    appends.push({
      streamId: accessTokenStream(state.handle),
      expectedVersion: version,
      events: [{ type: TokenEvents.accessTokenRevoked, data: { ...data }, metadata: eventMetadata(meta) }],
    });
  }
  // Nothing new and a cascade (ours or another replica's) not folded yet: its grants.revoked clears the row.
  if (appends.length === 0 && input.cascades.length > input.cascadesSeen) return [];
  const summary: GrantsRevokedData = {
    consentId: input.consentId,
    sub: input.sub,
    clientId: input.clientId,
    reason: 'consent_revoked',
    ...revoked,
    revokedAt: meta.now.toISOString(),
  };
  appends.push({
    streamId: consentRevocationStream(input.consentId),
    expectedVersion: input.cascades.length,
    events: [{ type: TokenEvents.grantsRevoked, data: { ...summary }, metadata: eventMetadata(meta) }],
  });
  return appends;
}
