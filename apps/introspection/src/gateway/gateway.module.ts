import { Module } from '@nestjs/common';
import { CONFIG, LOGGER, METRICS, type TesseraConfig } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { IntrospectionEndpointModule } from '../introspection/introspection-endpoint.module';
import { TOKEN_INTROSPECTOR, type TokenIntrospector } from '../introspection/active-token';
import { IntrospectionKeysModule } from '../keys/introspection-keys.module';
import { JWT_SIGNER, type JwtSigner } from '../keys/jwt-signer';
import { GATEWAY_SECRET, gatewaySecretFromConfig } from './gateway-secret';
import { PhantomTokenController } from './phantom-token.controller';
import { PHANTOM_DECISIONS, phantomDecisionCounter } from './phantom-token.metrics';
import { PhantomTokenService } from './phantom-token.service';
import {
  defaultPhantomTokenSettings,
  PHANTOM_TOKEN_SETTINGS,
  type PhantomTokenSettings,
} from './phantom-token.settings';

/** `/gateway/phantom`: the phantom token answer for nginx `auth_request` (issue 4 §3). */
@Module({
  imports: [IntrospectionEndpointModule, IntrospectionKeysModule],
  controllers: [PhantomTokenController],
  providers: [
    { provide: PHANTOM_TOKEN_SETTINGS, useValue: defaultPhantomTokenSettings },
    { provide: PHANTOM_DECISIONS, inject: [METRICS], useFactory: phantomDecisionCounter },
    { provide: GATEWAY_SECRET, inject: [CONFIG, LOGGER], useFactory: gatewaySecretFromConfig },
    {
      provide: PhantomTokenService,
      inject: [TOKEN_INTROSPECTOR, JWT_SIGNER, CONFIG, PHANTOM_TOKEN_SETTINGS, LOGGER],
      useFactory: (
        introspector: TokenIntrospector,
        signer: JwtSigner,
        config: TesseraConfig,
        settings: PhantomTokenSettings,
        logger: Logger,
      ) => {
        if (config.mode === 'cli') throw new Error('the phantom token gateway needs a serving config');
        const issuer = config.issuer;
        return new PhantomTokenService({ introspector, signer, issuer, settings, clock: Date.now, logger });
      },
    },
  ],
})
export class GatewayModule {}
