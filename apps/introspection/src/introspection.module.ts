import { Module } from '@nestjs/common';
import { GatewayModule } from './gateway/gateway.module';
import { IntrospectionEndpointModule } from './introspection/introspection-endpoint.module';
import { IntrospectionKeysModule } from './keys/introspection-keys.module';

/**
 * The introspection service's features (DESIGN §1), free of configuration so
 * that the standalone process can compose it: RFC 7662 introspection, its own
 * signing keys, and the phantom token endpoint for the gateway.
 */
@Module({ imports: [IntrospectionKeysModule, IntrospectionEndpointModule, GatewayModule] })
export class IntrospectionModule {}
