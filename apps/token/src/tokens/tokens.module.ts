import { Module } from '@nestjs/common';
import { IdTokensModule } from '../id-tokens/id-tokens.module';
import { KeysModule } from '../keys/keys.module';
import { TokenSigner } from '../keys/token-signer';
import { ScopeCatalog } from '../scopes/scope.catalog';
import { ScopesModule } from '../scopes/scopes.module';
import { RefreshFamilies } from './refresh-family.service';
import { RefreshTokenLookup } from './refresh-token.lookup';
import { TokenIssuer } from './token-issuer.service';
import { ACCESS_TOKEN_SIGNER, CLOCK, SCOPE_REQUIREMENTS } from './token-ports';

/** Token issuance, refresh families and their lookups (issue 3 §5, §6). */
@Module({
  imports: [ScopesModule, KeysModule, IdTokensModule],
  providers: [
    TokenIssuer,
    RefreshFamilies,
    RefreshTokenLookup,
    { provide: SCOPE_REQUIREMENTS, useExisting: ScopeCatalog },
    { provide: ACCESS_TOKEN_SIGNER, useExisting: TokenSigner },
    { provide: CLOCK, useValue: () => new Date() },
  ],
  exports: [TokenIssuer, RefreshFamilies, RefreshTokenLookup, SCOPE_REQUIREMENTS, ACCESS_TOKEN_SIGNER, CLOCK],
})
export class TokensModule {}
