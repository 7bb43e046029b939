import { Inject, Injectable } from '@nestjs/common';
import {
  accessTokenStream,
  type AccessTokenRevokedData,
  refreshFamilyStream,
  TokenEvents,
  TokenExchangeEvents,
  type TokenExchangedData,
} from '@tessera/contracts';
import { type AppendRequest, ConcurrencyError, type EventStore, type RecordedEvent } from '@tessera/event-store';
import { InvalidRequestError } from '@tessera/oauth';
import { EVENT_STORE } from '@tessera/platform';
import { type AccessTokenState, decideAccessToken, evolveAccessToken } from '../tokens/access-token.decider';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';
import { decideRefreshFamily, refreshFamilyFrom } from '../tokens/refresh-family.decider';
import { conflictBackoff, MAX_CONFLICT_ATTEMPTS } from './conflict-backoff';
import { decideDescendantRevocation, isLive, type LineageNode, withDescendants } from './lineage.decider';

/** Bound on the tokens one cascade visits (the chain depth is bounded; the fan-out is not). */
const MAX_NODES = 10_000;

/** A token's stream as read. */
export interface ReadToken {
  handle: string;
  events: readonly RecordedEvent[];
}

const foldToken = (events: readonly RecordedEvent[]) => events.reduce<AccessTokenState | null>(evolveAccessToken, null);

/**
 * RFC 7009 revocation with RFC 8693 lineage (DESIGN §5): revoking an access
 * token, or a refresh family, revokes every token exchanged from it,
 * transitively, in one transaction and as one revocation event listing them
 * all. Descendants are found on the tokens' own streams (`token.exchanged`
 * there names each child), so a token exchanged a moment ago is found too.
 */
@Injectable()
export class LineageRevoker {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Revokes an access token of `clientId` and its descendants; another client's or unknown token: nothing. */
  async revokeAccessToken(handle: string, clientId: string, meta: CommandMeta): Promise<void> {
    const streamId = accessTokenStream(handle);
    await this.retrying(async () => {
      const events = await this.store.readStream(streamId);
      if (events.length === 0) return null;
      const revoked = decideAccessToken(foldToken(events), { type: 'RevokeAccessToken', clientId }, meta);
      if (revoked.length === 0) return null;
      const { appends, handles } = decideDescendantRevocation(
        await this.descendantsOf([{ handle, events }], meta.now),
        meta,
      );
      return [{ streamId, expectedVersion: events.length, events: [withDescendants(revoked[0], handles)] }, ...appends];
    });
  }

  /** Revokes a refresh family of `clientId` with its tokens and every token exchanged from them. */
  async revokeFamily(familyId: string, clientId: string, meta: CommandMeta): Promise<void> {
    const streamId = refreshFamilyStream(familyId);
    await this.retrying(async () => {
      const events = await this.store.readStream(streamId);
      const family = refreshFamilyFrom(events);
      const revoked = decideRefreshFamily(
        family,
        { type: 'RevokeRefreshFamily', clientId, reason: 'revoked_by_client' },
        meta,
      );
      if (!family || revoked.length === 0) return null;
      const tokens = await Promise.all(
        family.accessTokenHandles.map(async (handle) => ({
          handle,
          events: await this.store.readStream(accessTokenStream(handle)),
        })),
      );
      const { appends, handles } = decideDescendantRevocation(await this.descendantsOf(tokens, meta.now), meta);
      // The family's live tokens record their revocation at the versions read (reason family_revoked, not
      // published: the family's event lists them). A write, not a guard: a guard checks the head without a
      // lock, so an exchange from one committing meanwhile (it writes that stream and only guards the family's)
      // would not be seen and its child would stay live; two writes at one version cannot both commit.
      const own = tokens.flatMap((t) => familyTokenRevocation(t, meta));
      return [
        { streamId, expectedVersion: events.length, events: [withDescendants(revoked[0], handles)] },
        ...own,
        ...appends,
      ];
    });
  }

  /** Every token exchanged from `roots`, transitively, breadth first (below an expired token all have expired). */
  async descendantsOf(roots: readonly ReadToken[], now: Date): Promise<LineageNode[]> {
    const seen = new Set(roots.map((r) => r.handle));
    const nodes: LineageNode[] = [];
    let level = roots.filter((r) => foldToken(r.events) !== null);
    while (level.length > 0 && nodes.length < MAX_NODES) {
      const children = level.flatMap((t) => childrenOf(t.events)).filter((h) => !seen.has(h) && seen.add(h));
      const read = await Promise.all(
        children.map(async (handle) => ({ handle, events: await this.store.readStream(accessTokenStream(handle)) })),
      );
      const next: ReadToken[] = [];
      for (const token of read) {
        const state = foldToken(token.events);
        nodes.push({ handle: token.handle, state, version: token.events.length });
        // exp ≤ the parent's (RFC 8693 §2.2.1): an expired token's descendants have expired too.
        if (state && Date.parse(state.expiresAt) > now.getTime()) next.push(token);
      }
      level = next;
    }
    return nodes;
  }

  private async retrying(plan: () => Promise<AppendRequest[] | null>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const appends = await plan();
      if (appends === null) return;
      try {
        await this.store.appendMany(appends);
        return;
      } catch (err) {
        // An exchange or rotation meanwhile: plan again (the new child is found). As many attempts as an
        // exchange gets, so a revocation is not starved by a burst of exchanges from the token it revokes.
        if (!(err instanceof ConcurrencyError)) throw err;
        // Still racing after every attempt: retryable (RFC 7009 §2.2.1 has no invalid_grant).
        if (attempt >= MAX_CONFLICT_ATTEMPTS) throw new InvalidRequestError('concurrent modification; retry');
        await conflictBackoff(attempt);
      }
    }
  }
}

/** A live token of a revoked family: its own `access-token.revoked` (family_revoked) at the version read. */
function familyTokenRevocation(token: ReadToken, meta: CommandMeta): AppendRequest[] {
  const state = foldToken(token.events);
  if (!isLive(state, meta.now)) return [];
  const data: AccessTokenRevokedData = {
    handle: token.handle,
    clientId: state.clientId,
    sub: state.sub,
    reason: 'family_revoked',
    revokedAt: meta.now.toISOString(),
  };
  return [
    {
      streamId: accessTokenStream(token.handle),
      expectedVersion: token.events.length,
      events: [{ type: TokenEvents.accessTokenRevoked, data: { ...data }, metadata: eventMetadata(meta) }],
    },
  ];
}

function childrenOf(events: readonly RecordedEvent[]): string[] {
  return events
    .filter((e) => e.type === TokenExchangeEvents.tokenExchanged)
    .map((e) => (e.data as unknown as TokenExchangedData).handle);
}
