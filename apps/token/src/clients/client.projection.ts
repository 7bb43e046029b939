import { ClientEvents, clientStream } from '@tessera/contracts';
import type { Projection } from '@tessera/projections';
import { type ClientState, evolveClient } from '@tessera/clients';

const PREFIX = 'client-';

/** Read model `token.clients`: one row per live client (DESIGN §4); deleted clients have none. */
export const clientsProjection: Projection<ClientState> = {
  name: 'clients',
  schema: 'token',
  version: 1,
  eventTypes: Object.values(ClientEvents),
  keyOf: (e) => (e.streamId.startsWith(PREFIX) ? e.streamId.slice(PREFIX.length) : null),
  streamsOf: (clientId) => [clientStream(clientId)],
  evolve(state, e) {
    const next = evolveClient(state, e);
    return next === null || next.deleted ? null : next;
  },
};
