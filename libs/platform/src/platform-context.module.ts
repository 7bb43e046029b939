import { type DynamicModule, Global, Module } from '@nestjs/common';
import { trace, type Tracer } from '@opentelemetry/api';
import { type Logger, TRACER_NAME } from '@tessera/telemetry';
import type { Registry } from 'prom-client';
import type { TesseraConfig } from './config';
import { CONFIG, LOGGER, METRICS, TRACER } from './tokens';

/** What a process is made of before Nest starts: its config, logger, metrics registry and tracer. */
export interface PlatformContext {
  config: TesseraConfig;
  logger: Logger;
  metrics: Registry;
  /** Default: the global provider's (no-op until `startTracing` installs one). */
  tracer?: Tracer;
}

/** Provides CONFIG, LOGGER, METRICS and TRACER everywhere; `bootstrapService` installs it (tests may too). */
@Global()
@Module({})
export class PlatformContextModule {
  /** The global module holding one process's context. */
  static forRoot(context: PlatformContext): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: context.config },
      { provide: LOGGER, useValue: context.logger },
      { provide: METRICS, useValue: context.metrics },
      { provide: TRACER, useValue: context.tracer ?? trace.getTracer(TRACER_NAME) },
    ];
    return { module: PlatformContextModule, providers, exports: providers.map((p) => p.provide) };
  }
}
