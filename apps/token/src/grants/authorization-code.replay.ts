import { Inject, Injectable } from '@nestjs/common';
import {
  accessTokenStream,
  type AccessTokenRevokedData,
  type AuthorizationCodeRedeemedData,
  refreshFamilyStream,
  TokenEvents,
} from '@tessera/contracts';
import type { EventStore, NewEvent, RecordedEvent } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { evolveAccessToken, type AccessTokenState } from '../tokens/access-token.decider';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';
import { decideAndAppend } from '../tokens/decide-and-append';
import { decideRefreshFamily, refreshFamilyFrom } from '../tokens/refresh-family.decider';

/** Pure: the revocation of a code's lone access token (no refresh family), unless already revoked. */
export function revokeCodeAccessToken(history: readonly RecordedEvent[], meta: CommandMeta): NewEvent[] {
  const state = history.reduce<AccessTokenState | null>(evolveAccessToken, null);
  if (!state || state.revoked) return [];
  const data: AccessTokenRevokedData = {
    handle: state.handle,
    clientId: state.clientId,
    sub: state.sub,
    reason: 'authorization_code_reuse',
    revokedAt: meta.now.toISOString(),
  };
  return [{ type: TokenEvents.accessTokenRevoked, data: { ...data }, metadata: eventMetadata(meta) }];
}

/**
 * RFC 9700 §4.5 (DESIGN §2): a code presented again revokes what it issued —
 * its refresh family with every token the family issued, else its access
 * token — as one revocation event, so one message goes out on
 * `iam.revocations` (the revocation relay). Revoking twice appends nothing.
 */
@Injectable()
export class CodeReplayRevoker {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async revoke(redeemed: AuthorizationCodeRedeemedData, meta: CommandMeta): Promise<void> {
    if (redeemed.familyId !== undefined) {
      await decideAndAppend(this.store, refreshFamilyStream(redeemed.familyId), (history) => {
        const state = refreshFamilyFrom(history);
        if (!state) return [];
        return decideRefreshFamily(
          state,
          { type: 'RevokeRefreshFamily', clientId: state.clientId, reason: 'authorization_code_reuse' },
          meta,
        );
      });
      return;
    }
    await decideAndAppend(this.store, accessTokenStream(redeemed.accessTokenHandle), (history) =>
      revokeCodeAccessToken(history, meta),
    );
  }
}
