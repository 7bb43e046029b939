import { Module } from '@nestjs/common';
import { ClientsModule } from './clients/clients.module';
import { ConsentRevocationModule } from './consent-revocation/consent-revocation.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { GrantsModule } from './grants/grants.module';
import { KeysModule } from './keys/keys.module';
import { RevocationModule } from './revocation/revocation.module';
import { ScopesModule } from './scopes/scopes.module';

/**
 * The token service's features (DESIGN §1), free of configuration so that the
 * standalone process can compose it; they arrive with later issues.
 */
@Module({
  imports: [
    ClientsModule,
    ScopesModule,
    GrantsModule,
    RevocationModule,
    KeysModule,
    DiscoveryModule,
    ConsentRevocationModule,
  ],
})
export class TokenModule {}
