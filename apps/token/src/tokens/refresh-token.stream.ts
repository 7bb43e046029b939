import { refreshTokenStream, TokenEvents, type RefreshTokenIssuedData } from '@tessera/contracts';
import type { AppendRequest } from '@tessera/event-store';
import { type CommandMeta, eventMetadata } from './command-meta';

/**
 * The append that creates a refresh token's own stream; it goes in the same
 * appendMany as the family event that issues the token, so both exist or
 * neither does.
 */
export function refreshTokenIssued(handle: string, familyId: string, meta: CommandMeta): AppendRequest {
  const data: RefreshTokenIssuedData = { handle, familyId };
  return {
    streamId: refreshTokenStream(handle),
    expectedVersion: 0,
    events: [{ type: TokenEvents.refreshTokenIssued, data: { ...data }, metadata: eventMetadata(meta) }],
  };
}
