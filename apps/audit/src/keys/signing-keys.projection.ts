import { signingKeysProjection } from '@tessera/keys';

/**
 * `audit.signing_keys_public`: every owner's public keys, folded from key
 * events (DESIGN §5); tells the audit service which of ITS keys signs
 * checkpoints. The token service's copy is the one /jwks serves.
 */
export const auditSigningKeysProjection = signingKeysProjection('audit');
