import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Migration } from '@tessera/event-store';
import type { Projection } from '@tessera/projections';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '@tessera/telemetry';
import type { Registry } from 'prom-client';
import type { TesseraConfig } from './config';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { ServerErrorFilter } from './http/server-error.filter';
import { PlatformRuntime } from './runtime/platform-runtime';
import type { ServiceName } from './services';
import {
  CONFIG,
  DATABASE,
  EVENT_STORE,
  LOGGER,
  MESSAGE_BUS,
  METRICS,
  PLATFORM_RUNTIME,
  PROJECTION_RUNNER,
  RELAY,
  TRACER,
} from './tokens';

/** Options of `PlatformModule.forRoot`. */
export interface PlatformModuleOptions {
  /** The process kind; must match the loaded config. */
  service: ServiceName | 'standalone';
  /** The read models this process keeps (listed in one index per app, STYLE 6). */
  projections?: readonly Projection[];
  /** The service's private-schema migrations; standalone applies them at start, readiness expects them. */
  migrations?: readonly Migration[];
}

/** Starts the runtime once the app is wired and stops it on SIGTERM (enableShutdownHooks). */
@Injectable()
class PlatformLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PLATFORM_RUNTIME) private readonly runtime: PlatformRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

/**
 * The infrastructure every Tessera process shares (DESIGN §1, §6): database,
 * event store, bus, relay, projections, health, metrics and the 5xx filter.
 * Needs `PlatformContextModule` (installed by `bootstrapService`).
 */
@Module({})
export class PlatformModule {
  /** The platform for one service, or for the standalone process. */
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const runtime = {
      provide: PLATFORM_RUNTIME,
      inject: [CONFIG, LOGGER, METRICS, TRACER],
      useFactory: (config: TesseraConfig, logger: Logger, metrics: Registry, tracer: Tracer) => {
        if (config.mode === 'cli' || config.kind !== options.service) {
          throw new Error(`PlatformModule for ${options.service} was given the config of ${config.kind}`);
        }
        return PlatformRuntime.create({
          config,
          logger,
          metrics,
          tracer,
          projections: options.projections,
          migrations: options.migrations,
        });
      },
    };
    const part = <T>(token: symbol, pick: (r: PlatformRuntime) => T) => ({
      provide: token,
      inject: [PLATFORM_RUNTIME],
      useFactory: pick,
    });
    const providers = [
      runtime,
      part(DATABASE, (r) => r.db),
      part(EVENT_STORE, (r) => r.store),
      part(MESSAGE_BUS, (r) => r.bus),
      part(RELAY, (r) => r.relay),
      part(PROJECTION_RUNNER, (r) => r.projections),
    ];
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [...providers, PlatformLifecycle, { provide: APP_FILTER, useClass: ServerErrorFilter }],
      exports: providers.map((p) => p.provide),
    };
  }
}
