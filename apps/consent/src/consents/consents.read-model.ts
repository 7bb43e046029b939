import { Inject, Injectable } from '@nestjs/common';
import type { ConsentState } from '@tessera/contracts';
import type { Database } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';

/**
 * Reads `consent.consents` by user (index on `sub`). It may trail the log by
 * a moment; callers check what they act on against the consent's stream.
 */
@Injectable()
export class ConsentsReadModel {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** The user's consents the read model holds as standing, newest first. */
  async ofUser(sub: string): Promise<ConsentState[]> {
    const rows = await this.db
      .query<{ state: ConsentState }>(
        `SELECT state FROM consent.consents WHERE state->>'sub' = $1 AND (state->>'revoked')::boolean IS NOT TRUE`,
        [sub],
      )
      .catch((err: { code?: string }) => {
        if (err.code === '42P01') return []; // the runner has not created the table yet
        throw err;
      });
    return rows.map((r) => r.state).sort((a, b) => b.grantedAt.localeCompare(a.grantedAt));
  }
}
