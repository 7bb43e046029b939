import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { IdTokensModule } from '../id-tokens/id-tokens.module';
import { TokenExchangeModule } from '../token-exchange/token-exchange.module';
import { TokensModule } from '../tokens/tokens.module';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { CodeReplayRevoker } from './authorization-code.replay';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { GRANTS, type Grant } from './grant';
import { RefreshTokenGrant } from './refresh-token.grant';
import { TokenExchangeGrant } from './token-exchange.grant';
import { TokenController } from './token.controller';
import { TokenEndpoint } from './token-endpoint.service';

/** `POST /oauth/token` and its grants; a new grant is one file plus one line here. */
@Module({
  imports: [ClientsModule, TokensModule, IdTokensModule, TokenExchangeModule],
  controllers: [TokenController],
  providers: [
    ClientCredentialsGrant,
    RefreshTokenGrant,
    AuthorizationCodeGrant,
    CodeReplayRevoker,
    TokenExchangeGrant,
    {
      provide: GRANTS,
      inject: [ClientCredentialsGrant, RefreshTokenGrant, AuthorizationCodeGrant, TokenExchangeGrant],
      useFactory: (...grants: Grant[]) => grants,
    },
    TokenEndpoint,
  ],
})
export class GrantsModule {}
