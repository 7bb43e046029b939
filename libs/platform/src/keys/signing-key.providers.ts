import type { InjectionToken, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import {
  defaultSigningKeySettings,
  KeyEncryptionKey,
  KeyRotationSchedule,
  SigningKeys,
  type SigningKeySettings,
} from '@tessera/keys';
import type { ProjectionRunner } from '@tessera/projections';
import type { Logger } from '@tessera/telemetry';
import type { TesseraConfig } from '../config';
import type { ServiceName } from '../services';
import { CONFIG, DATABASE, EVENT_STORE, LOGGER, PROJECTION_RUNNER } from '../tokens';

/** Where a service's keys module provides its `SigningKeys` and `SigningKeySettings`. */
export interface SigningKeyTokens {
  keys: InjectionToken;
  settings: InjectionToken;
}

/** Options of `signingKeyProviders`. */
export interface SigningKeyProviderOptions {
  /** The service whose keys these are; its keys live in its own schema (`<owner>.signing_keys`). */
  owner: ServiceName;
  tokens: SigningKeyTokens;
}

/** Runs one owner's KeyRotationSchedule for the app's lifetime (a key signs before it listens). */
export class SigningKeyRotationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly schedule: KeyRotationSchedule) {}

  onApplicationBootstrap(): Promise<void> {
    return this.schedule.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }
}

/**
 * A signing service's key wiring (DESIGN §5): its settings (per mode), its
 * SigningKeys (sealed with TESSERA_KEK in `<owner>.signing_keys`, public keys
 * through key events) and the scheduler that rotates them.
 */
export function signingKeyProviders({ owner, tokens }: SigningKeyProviderOptions): Provider[] {
  return [
    {
      provide: tokens.settings,
      inject: [CONFIG],
      useFactory: (config: TesseraConfig) =>
        defaultSigningKeySettings(config.mode === 'standalone' ? 'standalone' : 'distributed'),
    },
    {
      provide: tokens.keys,
      inject: [DATABASE, EVENT_STORE, CONFIG, tokens.settings, LOGGER, PROJECTION_RUNNER],
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
          owner,
          schema: owner,
          db,
          store,
          kek: new KeyEncryptionKey(config.kek.reveal()),
          settings,
          catchUp: () => runner.catchUp(),
          logger,
        });
      },
    },
    {
      provide: Symbol(`tessera:${owner}-key-rotation`),
      inject: [tokens.keys, tokens.settings, LOGGER],
      useFactory: (keys: SigningKeys, settings: SigningKeySettings, logger: Logger) =>
        new SigningKeyRotationScheduler(new KeyRotationSchedule(keys, settings, logger)),
    },
  ];
}
