import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { TokensModule } from '../tokens/tokens.module';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { GRANTS, type Grant } from './grant';
import { RefreshTokenGrant } from './refresh-token.grant';
import { TokenController } from './token.controller';
import { TokenEndpoint } from './token-endpoint.service';

/** `POST /oauth/token` and its grants; a new grant is one file plus one line here. */
@Module({
  imports: [ClientsModule, TokensModule],
  controllers: [TokenController],
  providers: [
    ClientCredentialsGrant,
    RefreshTokenGrant,
    {
      provide: GRANTS,
      inject: [ClientCredentialsGrant, RefreshTokenGrant],
      useFactory: (...grants: Grant[]) => grants,
    },
    TokenEndpoint,
  ],
})
export class GrantsModule {}
