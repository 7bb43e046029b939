import { Module } from '@nestjs/common';
import { SigningKeys } from '@tessera/keys';
import { signingKeyProviders } from '@tessera/platform';
import { JwksController } from './jwks.controller';
import { SIGNING_KEY_SETTINGS } from './signing-key.settings';
import { TokenSigner } from './token-signer';

/** The token service's signing keys, /jwks (every owner's keys) and the TokenSigner other token features sign with (DESIGN §5). */
@Module({
  controllers: [JwksController],
  providers: [
    ...signingKeyProviders({ owner: 'token', tokens: { keys: SigningKeys, settings: SIGNING_KEY_SETTINGS } }),
    { provide: TokenSigner, inject: [SigningKeys], useFactory: (keys: SigningKeys) => new TokenSigner(keys) },
  ],
  exports: [SigningKeys, TokenSigner, SIGNING_KEY_SETTINGS],
})
export class KeysModule {}
