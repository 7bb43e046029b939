import { accessTokenStream, type AccessTokenRevokedData, TokenEvents } from '@tessera/contracts';
import type { AppendRequest, NewEvent } from '@tessera/event-store';
import type { AccessTokenState } from '../tokens/access-token.decider';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';

/** One token of a lineage as its stream tells it, with the version an append to it must expect. */
export interface LineageNode {
  handle: string;
  state: AccessTokenState | null;
  version: number;
}

/** What revoking the descendants takes: one append per live descendant, and their handles. */
export interface DescendantRevocation {
  appends: AppendRequest[];
  handles: string[];
}

/** True while a token can still be used or exchanged. */
export function isLive(state: AccessTokenState | null, now: Date): state is AccessTokenState {
  return state !== null && !state.revoked && Date.parse(state.expiresAt) > now.getTime();
}

/**
 * Pure (STYLE 5): every live token exchanged from a revoked one, transitively,
 * records its own revocation (reason `ancestor_revoked`, so every read model
 * sees it on the token's stream) at the version it was read at: an exchange
 * from it meanwhile fails the append, and the next attempt finds the new
 * descendant. The root's revocation event lists the handles (one cascade on
 * `iam.revocations`, DESIGN §5). Expired and already revoked ones need nothing.
 */
export function decideDescendantRevocation(nodes: readonly LineageNode[], meta: CommandMeta): DescendantRevocation {
  const appends: AppendRequest[] = [];
  const handles: string[] = [];
  for (const { handle, state, version } of nodes) {
    if (!isLive(state, meta.now)) continue;
    const data: AccessTokenRevokedData = {
      handle,
      clientId: state.clientId,
      sub: state.sub,
      reason: 'ancestor_revoked',
      revokedAt: meta.now.toISOString(),
    };
    handles.push(handle);
    appends.push({
      streamId: accessTokenStream(handle),
      expectedVersion: version,
      events: [{ type: TokenEvents.accessTokenRevoked, data: { ...data }, metadata: eventMetadata(meta) }],
    });
  }
  return { appends, handles };
}

/**
 * The root revocation event naming its revoked descendants; an empty list
 * too, which says the lineage was handled (the lineage reaction skips it).
 */
export function withDescendants(event: NewEvent, descendantHandles: readonly string[]): NewEvent {
  return { ...event, data: { ...event.data, descendantHandles: [...descendantHandles] } };
}
