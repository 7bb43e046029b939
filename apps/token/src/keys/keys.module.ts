import { Module } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { KeyEncryptionKey } from '@tessera/keys';
import type { ProjectionRunner } from '@tessera/projections';
import { CONFIG, DATABASE, EVENT_STORE, LOGGER, PROJECTION_RUNNER, type TesseraConfig } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { JwksController } from './jwks.controller';
import { KeyRotationScheduler } from './key-rotation.scheduler';
import { defaultSigningKeySettings, SIGNING_KEY_SETTINGS, type SigningKeySettings } from './signing-key.settings';
import { SigningKeys } from './signing-keys.service';
import { TokenSigner } from './token-signer';

/** Signing keys, /jwks and the TokenSigner other token features sign with (DESIGN §5). */
@Module({
  controllers: [JwksController],
  providers: [
    {
      provide: SIGNING_KEY_SETTINGS,
      inject: [CONFIG],
      useFactory: (config: TesseraConfig) =>
        defaultSigningKeySettings(config.mode === 'standalone' ? 'standalone' : 'distributed'),
    },
    {
      provide: SigningKeys,
      inject: [DATABASE, EVENT_STORE, CONFIG, SIGNING_KEY_SETTINGS, LOGGER, PROJECTION_RUNNER],
      useFactory: (
        db: Database,
        store: EventStore,
        config: TesseraConfig,
        settings: SigningKeySettings,
        logger: Logger,
        runner: ProjectionRunner,
      ) => {
        if (config.mode === 'cli') throw new Error('SigningKeys needs a serving config');
        return new SigningKeys({
          db,
          store,
          kek: new KeyEncryptionKey(config.kek.reveal()),
          settings,
          catchUp: () => runner.catchUp(),
          logger,
        });
      },
    },
    { provide: TokenSigner, inject: [SigningKeys], useFactory: (keys: SigningKeys) => new TokenSigner(keys) },
    KeyRotationScheduler,
  ],
  exports: [SigningKeys, TokenSigner, SIGNING_KEY_SETTINGS],
})
export class KeysModule {}
