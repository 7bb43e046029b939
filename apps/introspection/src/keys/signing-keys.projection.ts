import { signingKeysProjection } from '@tessera/keys';

/**
 * `introspection.signing_keys_public`: every owner's public keys, folded from
 * key events (DESIGN §5); tells the introspection service which of ITS keys
 * signs. The token service's copy is the one /jwks serves.
 */
export const introspectionSigningKeysProjection = signingKeysProjection('introspection');
