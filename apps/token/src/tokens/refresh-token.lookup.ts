import { Inject, Injectable } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE, PROJECTION_RUNNER } from '@tessera/platform';
import { type ProjectionRunner, ReadThrough } from '@tessera/projections';
import { refreshTokensProjection, type RefreshTokenRow } from './refresh-token.projection';

/**
 * Refresh token handle → family id, from `token.refresh_tokens`. No stream is
 * keyed by a refresh handle, so a miss cannot read through to one stream:
 * instead the projections are caught up to the log head once and asked again,
 * so that a token issued a moment ago is found (read-your-writes, DESIGN §4).
 */
@Injectable()
export class RefreshTokenLookup {
  private readonly rows: ReadThrough<RefreshTokenRow>;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: Pick<ProjectionRunner, 'catchUp'>,
  ) {
    this.rows = new ReadThrough(db, store, refreshTokensProjection);
  }

  /** The family of the refresh token with this handle, or null when no family issued it. */
  async familyOf(handle: string): Promise<string | null> {
    const row = (await this.rows.get(handle)) ?? (await this.runner.catchUp(), await this.rows.get(handle));
    return row?.familyId ?? null;
  }
}
