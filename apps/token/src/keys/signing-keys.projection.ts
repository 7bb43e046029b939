import { signingKeysProjection as signingKeysProjectionIn } from '@tessera/keys';

/**
 * `token.signing_keys_public`: every owner's public keys, folded from key
 * events (DESIGN §5); /jwks serves it, so APIs also find the introspection
 * service's keys here.
 */
export const signingKeysProjection = signingKeysProjectionIn('token');
