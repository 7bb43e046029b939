import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { TokenExchangeModule } from '../token-exchange/token-exchange.module';
import { TokensModule } from '../tokens/tokens.module';
import { RevocationController } from './revocation.controller';
import { RevocationRelay } from './revocation.relay';
import { RevocationService } from './revocation.service';

/** `POST /oauth/revoke` (RFC 7009) and the relay that publishes revocations to `iam.revocations`. */
@Module({
  imports: [ClientsModule, TokensModule, TokenExchangeModule],
  controllers: [RevocationController],
  providers: [RevocationService, RevocationRelay],
})
export class RevocationModule {}
