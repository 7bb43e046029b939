import { Inject, Injectable } from '@nestjs/common';
import { type ConsentState, consentStream, consentStreamOfId, foldConsent } from '@tessera/contracts';
import { ConcurrencyError, type EventStore, type NewEvent } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { type CommandMeta, type ConsentCommand, decideConsent } from './consent.decider';

/** Attempts before a lost race surfaces (two tabs granting at once). */
const MAX_ATTEMPTS = 3;

/** Grants and revokes consents: load the stream, decide, append with the expected version (STYLE 5). */
@Injectable()
export class ConsentService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The consent of `sub` to `clientId` as the log has it now (null: never granted). */
  async current(sub: string, clientId: string): Promise<ConsentState | null> {
    return foldConsent(await this.store.readStream(consentStream(sub, clientId)));
  }

  /** Adds `scopes` to the user's consent to the client, as the answer to request `requestId` when given. */
  grant(
    sub: string,
    clientId: string,
    scopes: readonly string[],
    requestId: string | undefined,
    meta: CommandMeta,
  ): Promise<NewEvent[]> {
    const command: ConsentCommand = {
      type: 'GrantConsent',
      sub,
      clientId,
      scopes,
      ...(requestId ? { requestId } : {}),
    };
    return this.apply(consentStream(sub, clientId), () => command, meta);
  }

  /** Revokes the user's consent `consentId`; another user's, an unknown or a revoked one changes nothing. */
  async revoke(sub: string, consentId: string, meta: CommandMeta): Promise<NewEvent[]> {
    const streamId = consentStreamOfId(consentId);
    if (streamId === null) return [];
    return this.apply(streamId, (state) => (state?.sub === sub ? { type: 'RevokeConsent', consentId } : null), meta);
  }

  private async apply(
    streamId: string,
    command: (state: ConsentState | null) => ConsentCommand | null,
    meta: CommandMeta,
  ): Promise<NewEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStream(streamId);
      const state = foldConsent(history);
      const c = command(state);
      const events = c === null ? [] : decideConsent(state, c, meta);
      if (events.length === 0) return events;
      try {
        await this.store.append(streamId, history.length, events);
        return events;
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
}
