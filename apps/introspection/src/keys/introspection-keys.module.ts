import { Module } from '@nestjs/common';
import { ActiveKeySigner, type SigningKeys } from '@tessera/keys';
import { signingKeyProviders } from '@tessera/platform';
import { INTROSPECTION_KEY_SETTINGS, INTROSPECTION_SIGNING_KEYS } from './introspection-keys.tokens';
import { JWT_SIGNER, type JwtSigner } from './jwt-signer';

const OWNER = 'introspection';

/**
 * The introspection service's own signing keys (DESIGN §5): sealed in
 * `introspection.signing_keys`, published through key events (the token
 * service's /jwks serves them), rotated on schedule; exports the JwtSigner
 * that signs phantom tokens and RFC 9701 introspection responses.
 */
@Module({
  providers: [
    ...signingKeyProviders({
      owner: OWNER,
      tokens: { keys: INTROSPECTION_SIGNING_KEYS, settings: INTROSPECTION_KEY_SETTINGS },
    }),
    {
      provide: JWT_SIGNER,
      inject: [INTROSPECTION_SIGNING_KEYS],
      useFactory: (keys: SigningKeys): JwtSigner => new ActiveKeySigner(keys),
    },
  ],
  exports: [JWT_SIGNER, INTROSPECTION_SIGNING_KEYS],
})
export class IntrospectionKeysModule {}
