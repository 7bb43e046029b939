import { type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import formbody from '@fastify/formbody';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, createMetricsRegistry, NestLoggerAdapter, registerHttpMetrics } from '@tessera/telemetry';
import { ConfigError, type ServiceConfig, type StandaloneConfig } from './config';
import { rejectDuplicateJsonKeys } from './http/strict-json.parser';
import { PlatformContextModule } from './platform-context.module';

/** Largest request body accepted; larger ones get 413 (no endpoint needs more; limits abuse). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The address services listen on: all interfaces, as containers need. */
export const LISTEN_HOST = '0.0.0.0';

/**
 * The Fastify adapter every app runs on (both modes, and test apps): the body
 * limit (413 beyond it), Fastify's JSON parser and `@fastify/formbody` for the
 * form-encoded OAuth endpoints, which keeps repeated keys as arrays so that a
 * duplicated parameter can be rejected (RFC 6749 §3.1, §3.2).
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  const fastify = adapter.getInstance();
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
  const logger = createLogger({ service: config.kind, level: config.logLevel });
  const metrics = createMetricsRegistry(config.kind);
  const adapter = createHttpAdapter();
  registerHttpMetrics(adapter.getInstance(), metrics);

  @Module({ imports: [PlatformContextModule.forRoot({ config, logger, metrics }), rootModule] })
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
