import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from '@tessera/telemetry';
import type { Registry } from 'prom-client';
import type { TesseraConfig } from './config';
import { CONFIG, LOGGER, METRICS } from './tokens';

/** What a process is made of before Nest starts: its config, logger and metrics registry. */
export interface PlatformContext {
  config: TesseraConfig;
  logger: Logger;
  metrics: Registry;
}

/** Provides CONFIG, LOGGER and METRICS everywhere; `bootstrapService` installs it (tests may too). */
@Global()
@Module({})
export class PlatformContextModule {
  /** The global module holding one process's context. */
  static forRoot(context: PlatformContext): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: context.config },
      { provide: LOGGER, useValue: context.logger },
      { provide: METRICS, useValue: context.metrics },
    ];
    return { module: PlatformContextModule, providers, exports: providers.map((p) => p.provide) };
  }
}
