import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { IssuerJwtVerifier, ISSUER_JWT_CHECK } from './issuer-jwt.verifier';
import { LineageCascadeReactor } from './lineage-cascade.reactor';
import { LineageRevoker } from './lineage-revoker.service';
import { PHANTOM_JWT_CHECK, PhantomJwtVerifier } from './phantom-jwt.verifier';
import { PresentedTokenLoader } from './presented-token.loader';

/** RFC 8693 support for the token grant and revocation: presented-token lookups, lineage revocation and its reaction. */
@Module({
  imports: [KeysModule],
  providers: [
    IssuerJwtVerifier,
    { provide: ISSUER_JWT_CHECK, useExisting: IssuerJwtVerifier },
    PhantomJwtVerifier,
    { provide: PHANTOM_JWT_CHECK, useExisting: PhantomJwtVerifier },
    PresentedTokenLoader,
    LineageRevoker,
    LineageCascadeReactor,
  ],
  exports: [PresentedTokenLoader, LineageRevoker],
})
export class TokenExchangeModule {}
