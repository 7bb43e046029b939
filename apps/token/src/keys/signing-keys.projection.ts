import { SIGNING_KEY_EVENT_TYPES, signingKeyStream } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';
import { evolveSigningKey, type SigningKeyState } from './signing-key.decider';

const STREAM_PREFIX = signingKeyStream('');

/**
 * `token.signing_keys_public`: every signing key's public JWK and status,
 * learned from key events (DESIGN §5); feeds /jwks and tells signers which key
 * is active. The private halves live in `token.signing_keys`, not here.
 */
export const signingKeysProjection: Projection<SigningKeyState> = {
  name: 'signing_keys_public',
  schema: 'token',
  version: 1,
  eventTypes: SIGNING_KEY_EVENT_TYPES,
  keyOf: (event: RecordedEvent) =>
    event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : null,
  evolve: evolveSigningKey,
  indexes: { status: 'status' },
  streamsOf: (kid: string) => [signingKeyStream(kid)],
};
