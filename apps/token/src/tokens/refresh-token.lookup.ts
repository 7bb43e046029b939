import { Inject, Injectable } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import { ReadThrough } from '@tessera/projections';
import { refreshTokensProjection, type RefreshTokenRow } from './refresh-token.projection';

/**
 * Refresh token handle → family id: the `token.refresh_tokens` row, or on a
 * miss the token's own `refreshtoken-<handle>` stream (DESIGN §4), so a token
 * issued a moment ago is found whatever the projection's lag.
 */
@Injectable()
export class RefreshTokenLookup {
  private readonly rows: ReadThrough<RefreshTokenRow>;

  constructor(@Inject(DATABASE) db: Database, @Inject(EVENT_STORE) store: EventStore) {
    this.rows = new ReadThrough(db, store, refreshTokensProjection);
  }

  /** The family of the refresh token with this handle, or null when no family issued it. */
  async familyOf(handle: string): Promise<string | null> {
    return (await this.rows.get(handle))?.familyId ?? null;
  }
}
