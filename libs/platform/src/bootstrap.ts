import { type INestApplication, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import formbody from '@fastify/formbody';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { trace, type Tracer } from '@opentelemetry/api';
import {
  createLogger,
  createMetricsRegistry,
  NestLoggerAdapter,
  registerHttpMetrics,
  registerHttpTracing,
  startTracing,
  TRACER_NAME,
} from '@tessera/telemetry';
import { ConfigError, type ServiceConfig, type StandaloneConfig } from './config';
import { rejectDuplicateJsonKeys } from './http/strict-json.parser';
import { PlatformContextModule } from './platform-context.module';

/** Largest request body accepted; larger ones get 413 (no endpoint needs more; limits abuse). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The address services listen on: all interfaces, as containers need. */
export const LISTEN_HOST = '0.0.0.0';

/** Options of createHttpAdapter. */
export interface HttpAdapterOptions {
  /**
   * Proxies (IPs/CIDRs, `TESSERA_TRUSTED_PROXIES`) whose `X-Forwarded-For`
   * sets `req.ip`; from any other peer the header is ignored. Default: none.
   */
  trustedProxies?: readonly string[];
  /** Makes one SERVER span per request (default: the global provider's tracer). */
  tracer?: Tracer;
}

/**
 * The Fastify adapter every app runs on (both modes, and test apps): the body
 * limit (413 beyond it), the trusted proxies, Fastify's JSON parser and
 * `@fastify/formbody` for the form-encoded OAuth endpoints, which keeps
 * repeated keys as arrays so that a duplicated parameter can be rejected
 * (RFC 6749 §3.1, §3.2), and a span per request (W3C `traceparent` honoured).
 */
export function createHttpAdapter(options: HttpAdapterOptions = {}): FastifyAdapter {
  const proxies = options.trustedProxies ?? [];
  // Without it req.ip behind nginx is nginx's address: one client's login failures would throttle everyone.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: proxies.length > 0 ? [...proxies] : false,
  });
  const fastify = adapter.getInstance();
  registerHttpTracing(fastify, options.tracer ?? trace.getTracer(TRACER_NAME));
  void fastify.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  // Registering one parser through useBodyParser stops Nest from adding its own JSON and
  // form parsers at init, which would collide with formbody's.
  const json = fastify.getDefaultJsonParser('error', 'error');
  adapter.useBodyParser(
    'application/json',
    false,
    { bodyLimit: BODY_LIMIT_BYTES },
    // A duplicated JSON member is a 400, not a silent last-wins (issue 3 "Bad input").
    rejectDuplicateJsonKeys((req, body, done) => json(req, body.toString('utf8'), done)),
  );
  return adapter;
}

/**
 * Creates the Nest app on Fastify with the JSON logger, metrics and shutdown
 * hooks, listens on PORT and logs one `listening` line.
 */
export async function bootstrapService(
  rootModule: Type<unknown>,
  config: ServiceConfig | StandaloneConfig,
): Promise<INestApplication> {
  // Before Nest: the tracer provider is global by the time any module starts a span (DESIGN §1).
  const tracing = startTracing({ service: config.kind, otlpEndpoint: config.otlpEndpoint });
  const logger = createLogger({ service: config.kind, level: config.logLevel });
  const metrics = createMetricsRegistry(config.kind);
  const adapter = createHttpAdapter({ trustedProxies: config.trustedProxies, tracer: tracing.tracer });
  registerHttpMetrics(adapter.getInstance(), metrics);

  // The last spans are flushed on shutdown (SIGTERM: enableShutdownHooks).
  class TracingShutdown implements OnApplicationShutdown {
    onApplicationShutdown(): Promise<void> {
      return tracing.shutdown();
    }
  }

  @Module({
    imports: [PlatformContextModule.forRoot({ config, logger, metrics, tracer: tracing.tracer }), rootModule],
    providers: [TracingShutdown],
  })
  class TesseraProcessModule {}

  const app = await NestFactory.create<NestFastifyApplication>(TesseraProcessModule, adapter, {
    logger: new NestLoggerAdapter(logger),
  });
  app.enableShutdownHooks();
  await app.listen(config.port, LISTEN_HOST);
  logger.info({ url: `http://localhost:${config.port}`, issuer: config.issuer }, 'listening');
  return app;
}

/**
 * Runs a process's main: a ConfigError becomes `tessera: configuration error:
 * <message>` on stderr and exit code 1 (DESIGN §9), any other start failure
 * exit code 1 with its message.
 */
export function runMain(main: () => Promise<unknown>): void {
  // Through a promise, so a synchronous throw (loadConfig) is handled the same way.
  Promise.resolve()
    .then(main)
    .catch((err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`tessera: configuration error: ${err.message}\n`);
      } else {
        process.stderr.write(`tessera: failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
      }
      process.exit(1);
    });
}
