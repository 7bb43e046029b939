import { signingKeysProjection } from '@tessera/keys';

/**
 * `authentication.signing_keys_public`: the public keys of every signer, from
 * key events (DESIGN §5), so that `/logout` can verify an `id_token_hint`
 * without reading another service's schema.
 */
export const authenticationSigningKeysProjection = signingKeysProjection('authentication');
