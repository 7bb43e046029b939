import { ScopeEvents, scopeStream } from '@tessera/contracts';
import type { Projection } from '@tessera/projections';
import { evolve, type ScopeState } from './scope.decider';

const PREFIX = 'scope-';

/** Read model `token.scopes`: one row per defined scope (DESIGN §4). */
export const scopesProjection: Projection<ScopeState> = {
  name: 'scopes',
  schema: 'token',
  version: 1,
  eventTypes: Object.values(ScopeEvents),
  keyOf: (e) => (e.streamId.startsWith(PREFIX) ? e.streamId.slice(PREFIX.length) : null),
  streamsOf: (name) => [scopeStream(name)],
  evolve,
};
