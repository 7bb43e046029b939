import { Inject, Injectable } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import { ReadThrough } from '@tessera/projections';
import { activeTokensProjection, type IssuedTokenRow } from './active-tokens.projection';
import type { LoadedToken } from './loaded-token';
import { refreshFamiliesProjection, type RefreshFamilyRow } from './refresh-families.projection';

/**
 * Reads a token from the introspection read models with read-through on miss
 * (DESIGN §4): a token the runner has not projected yet is folded from its own
 * stream, so it is introspectable the instant its token response was sent.
 */
@Injectable()
export class TokenReadModel {
  private readonly tokens: ReadThrough<IssuedTokenRow>;
  private readonly families: ReadThrough<RefreshFamilyRow>;

  constructor(@Inject(DATABASE) db: Database, @Inject(EVENT_STORE) store: EventStore) {
    this.tokens = new ReadThrough(db, store, activeTokensProjection);
    this.families = new ReadThrough(db, store, refreshFamiliesProjection);
  }

  /** The token's facts and revocations, or null when no access token has this handle. */
  async load(handle: string): Promise<LoadedToken | null> {
    const row = await this.tokens.get(handle);
    if (row === null) return null;
    if (row.familyId === undefined || row.revoked) return { row, familyRevoked: false };
    const family = await this.families.get(row.familyId);
    return { row, familyRevoked: family?.revoked === true };
  }
}
