import { TokenEvents, type AccessTokenIssuedData, type AccessTokenRevokedData } from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import { type CommandMeta, eventMetadata } from './command-meta';

/** One access token's life: issued, maybe revoked. */
export interface AccessTokenState extends AccessTokenIssuedData {
  revoked: boolean;
}

/** Revoke one access token (RFC 7009). */
export interface RevokeAccessToken {
  type: 'RevokeAccessToken';
  clientId: string;
}

/** Folds one event into the token's state. */
export function evolveAccessToken(state: AccessTokenState | null, event: RecordedEvent): AccessTokenState | null {
  switch (event.type) {
    case TokenEvents.accessTokenIssued:
      return { ...(event.data as unknown as AccessTokenIssuedData), revoked: false };
    case TokenEvents.accessTokenRevoked:
      return state && { ...state, revoked: true };
    default:
      return state;
  }
}

/** RFC 7009 §2.1: only the client the token was issued to may revoke it; twice changes nothing. */
export function decideAccessToken(
  state: AccessTokenState | null,
  command: RevokeAccessToken,
  meta: CommandMeta,
): NewEvent[] {
  if (!state || state.revoked || state.clientId !== command.clientId) return [];
  const data: AccessTokenRevokedData = {
    handle: state.handle,
    clientId: state.clientId,
    sub: state.sub,
    reason: 'revoked_by_client',
    revokedAt: meta.now.toISOString(),
  };
  return [{ type: TokenEvents.accessTokenRevoked, data: { ...data }, metadata: eventMetadata(meta) }];
}
