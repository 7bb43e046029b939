import { Module } from '@nestjs/common';
import { ActiveKeySigner, type SigningKeys } from '@tessera/keys';
import { signingKeyProviders } from '@tessera/platform';
import { AUDIT_CHECKPOINT_SIGNER, AUDIT_KEY_SETTINGS, AUDIT_SIGNING_KEYS } from './audit-keys.tokens';

const OWNER = 'audit';

/**
 * The audit service's own signing keys (DESIGN §5, issue 7 §1): sealed in
 * `audit.signing_keys`, published through key events (the token service's
 * /jwks serves them), rotated on schedule; they sign chain checkpoints.
 */
@Module({
  providers: [
    ...signingKeyProviders({ owner: OWNER, tokens: { keys: AUDIT_SIGNING_KEYS, settings: AUDIT_KEY_SETTINGS } }),
    {
      provide: AUDIT_CHECKPOINT_SIGNER,
      inject: [AUDIT_SIGNING_KEYS],
      useFactory: (keys: SigningKeys) => new ActiveKeySigner(keys),
    },
  ],
  exports: [AUDIT_CHECKPOINT_SIGNER, AUDIT_SIGNING_KEYS],
})
export class AuditKeysModule {}
