import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { ScopesModule } from '../scopes/scopes.module';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryService } from './discovery.service';

/** `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server` (issue 3 §4). */
@Module({
  imports: [KeysModule, ScopesModule],
  controllers: [DiscoveryController],
  providers: [DiscoveryService],
})
export class DiscoveryModule {}
