import { Inject, Injectable } from '@nestjs/common';
import { clientStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { foldClient } from './client.decider';
import { type RegisteredClient, toRegisteredClient } from './registered-client';

/**
 * Looks a client up for authentication. It folds the client's own stream (one
 * indexed query, a handful of events) instead of reading `token.clients`:
 * ReadThrough only falls back to the log on a miss, so a row the runner has
 * not caught up on would still show metadata from before an RFC 7592 update
 * or delete. `token.clients` serves listings and the other services.
 */
@Injectable()
export class ClientDirectory {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The live client, or null when unknown or deleted. */
  async get(clientId: string): Promise<RegisteredClient | null> {
    const state = foldClient(await this.store.readStream(clientStream(clientId)));
    return state === null || state.deleted ? null : toRegisteredClient(state);
  }
}
