import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { IdTokenSigner } from './id-token.signer';

/** ID tokens (OIDC Core §2), signed by the token service's keys. */
@Module({
  imports: [KeysModule],
  providers: [IdTokenSigner],
  exports: [IdTokenSigner],
})
export class IdTokensModule {}
