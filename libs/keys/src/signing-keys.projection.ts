import { SIGNING_KEY_EVENT_TYPES, signingKeyStream } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';
import { evolveSigningKey, type SigningKeyState } from './signing-key.decider';

const STREAM_PREFIX = signingKeyStream('');
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Name of the public signing key read model in each signing service's schema. */
export const SIGNING_KEYS_PUBLIC = 'signing_keys_public';

/**
 * `<schema>.signing_keys_public`: every signing key's public JWK, owner and
 * status, learned from key events of EVERY owner (DESIGN §5); feeds /jwks and
 * tells each signer which of its own keys is active. The private halves live
 * in `<schema>.signing_keys`, not here.
 */
export function signingKeysProjection(schema: string): Projection<SigningKeyState> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a schema name: ${schema}`);
  return {
    name: SIGNING_KEYS_PUBLIC,
    schema,
    // 2: the state records each key's owner (issue 4); bumping rebuilds rows folded without it.
    version: 2,
    eventTypes: SIGNING_KEY_EVENT_TYPES,
    keyOf: (event: RecordedEvent) =>
      event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : null,
    evolve: evolveSigningKey,
    indexes: { status: 'status' },
    streamsOf: (kid: string) => [signingKeyStream(kid)],
  };
}
