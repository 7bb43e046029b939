import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { accessTokenStream, consentRevocationStream, refreshFamilyStream } from '@tessera/contracts';
import type { Database, EventStore, RecordedEvent } from '@tessera/event-store';
import { DATABASE, EVENT_STORE, LOGGER } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { PollingReactor } from '../reactors/polling-reactor';
import { type AccessTokenState, evolveAccessToken } from '../tokens/access-token.decider';
import { refreshFamilyFrom } from '../tokens/refresh-family.decider';
import type { ConsentGrantsRow } from './consent-grants.projection';
import { decideConsentRevocation, type Folded } from './consent-revocation.decider';

function folded<S>(events: readonly RecordedEvent[], fold: (events: readonly RecordedEvent[]) => S | null): Folded<S> {
  return { state: fold(events), version: events.length };
}

/**
 * The token service's reaction to `consent.revoked` (DESIGN §5: revoking a
 * consent revokes every grant it allowed). Its work list is the
 * `token.consent_grants` rows the runner marked pending; for each it reads the
 * grants' own streams (exact), decides, and appends the cascade. Every replica
 * may run it: the appends carry expected versions, so a cascade is recorded
 * once, and a lost race is decided again on the next round.
 */
@Injectable()
export class ConsentRevocationReactor extends PollingReactor<ConsentGrantsRow> {
  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) logger: Logger,
  ) {
    super({ name: 'consent revocation cascade', table: 'token.consent_grants', db, logger });
  }

  protected describe(row: ConsentGrantsRow): Record<string, unknown> {
    return { consentId: row.consentId };
  }

  protected async handle(row: ConsentGrantsRow): Promise<boolean> {
    if (!row.revoked) return false;
    const read = (stream: string) => this.store.readStream(stream);
    const [families, accessTokens, cascades] = await Promise.all([
      Promise.all(
        Object.keys(row.families).map(async (id) => folded(await read(refreshFamilyStream(id)), refreshFamilyFrom)),
      ),
      Promise.all(
        Object.keys(row.accessTokens).map(async (handle) =>
          folded(await read(accessTokenStream(handle)), (events) =>
            events.reduce<AccessTokenState | null>(evolveAccessToken, null),
          ),
        ),
      ),
      read(consentRevocationStream(row.consentId)),
    ]);
    const appends = decideConsentRevocation(
      {
        consentId: row.consentId,
        sub: row.revoked.sub,
        clientId: row.revoked.clientId,
        families,
        accessTokens,
        cascades,
        cascadesSeen: row.cascades ?? 0,
      },
      { now: new Date(), actor: 'system:consent-revocation', correlationId: randomUUID() },
    );
    if (appends.length === 0) return false;
    await this.store.appendMany(appends);
    return true;
  }
}
