import { Inject, Injectable } from '@nestjs/common';
import { clientStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { foldClient } from './client-state';
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
    return (await this.find(clientId))?.client ?? null;
  }

  /** The live client and its stream's version (a guard for what is decided on it), or null. */
  async find(clientId: string): Promise<VersionedClient | null> {
    const events = await this.store.readStream(clientStream(clientId));
    const state = foldClient(events);
    if (state === null || state.deleted) return null;
    return { client: toRegisteredClient(state), version: events[events.length - 1].streamVersion };
  }
}

/** A client as folded, with the version of `client-<id>` it was folded at. */
export interface VersionedClient {
  client: RegisteredClient;
  version: number;
}
