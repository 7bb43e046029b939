import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  accessTokenStream,
  TokenExchangeEvents,
  type TokenLineageRevokedData,
  tokenLineageStream,
} from '@tessera/contracts';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE, LOGGER } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { PollingReactor } from '../reactors/polling-reactor';
import { eventMetadata } from '../tokens/command-meta';
import { decideDescendantRevocation } from './lineage.decider';
import { LineageRevoker } from './lineage-revoker.service';
import type { LineageWorkRow } from './lineage-work.projection';

/**
 * Revokes the descendants of tokens that a revocation outside the lineage
 * revoker revoked (refresh token reuse, consent revoked, code replay: their
 * deciders do not know lineage), from `token.lineage_work`. Each cascade is
 * one `token-lineage.revoked` (one message on `iam.revocations`) with each
 * descendant's own revocation, in one transaction at the versions read; every
 * replica may run it (the appends carry expected versions).
 */
@Injectable()
export class LineageCascadeReactor extends PollingReactor<LineageWorkRow> {
  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) logger: Logger,
    private readonly lineage: LineageRevoker,
  ) {
    super({ name: 'lineage cascade', table: 'token.lineage_work', db, logger });
  }

  protected describe(row: LineageWorkRow): Record<string, unknown> {
    return { key: row.key };
  }

  protected async handle(row: LineageWorkRow): Promise<boolean> {
    const source = row.revoked;
    if (!source) return false;
    const streamId = tokenLineageStream(row.key);
    const done = await this.store.readStream(streamId);
    // Recorded by another replica; the runner has not folded it yet.
    if (done.some((e) => (e.data as unknown as TokenLineageRevokedData).sourceEventId === source.sourceEventId)) {
      return false;
    }
    const meta = { now: new Date(), actor: 'system:token-lineage', correlationId: randomUUID() };
    const roots = await Promise.all(
      source.roots.map(async (handle) => ({ handle, events: await this.store.readStream(accessTokenStream(handle)) })),
    );
    const { appends, handles } = decideDescendantRevocation(await this.lineage.descendantsOf(roots, meta.now), meta);
    const summary: TokenLineageRevokedData = {
      key: row.key,
      sourceEventId: source.sourceEventId,
      clientId: source.clientId,
      sub: source.sub,
      reason: 'ancestor_revoked',
      cause: source.cause,
      descendantHandles: handles,
      revokedAt: meta.now.toISOString(),
    };
    await this.store.appendMany([
      ...appends,
      {
        streamId,
        expectedVersion: done.length,
        events: [
          { type: TokenExchangeEvents.tokenLineageRevoked, data: { ...summary }, metadata: eventMetadata(meta) },
        ],
      },
    ]);
    return true;
  }
}
