import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Database, PgDatabase, runMigrations } from '@tessera/event-store';
import { KafkaBus } from '@tessera/messaging';
import {
  createHttpAdapter,
  DATABASE,
  loadConfig,
  PlatformContextModule,
  PlatformModule,
  topicSpecs,
} from '@tessera/platform';
import { createMetricsRegistry } from '@tessera/telemetry';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueSuffix } from '../../../test/support/infra';
import { ClientsModule } from '../src/clients/clients.module';
import { tokenMigrations } from '../src/migrations';
import { tokenProjections } from '../src/projections';
import { ScopesModule } from '../src/scopes/scopes.module';

/** A light HTTP answer from Fastify's inject. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** A token service app over the real HTTP stack (Fastify inject), in one mode. */
export interface TokenTestApp {
  adminToken: string;
  db: Database;
  request(opts: { method: string; url: string; headers?: Record<string, string>; payload?: unknown }): Promise<Answer>;
  /** A provider of the app (services under test). */
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Boots ClientsModule + ScopesModule on the platform exactly as the token
 * service does (same HTTP adapter, same filters), in distributed mode on a
 * fresh PostgreSQL database + Kafka, or standalone on in-memory PGlite.
 */
export async function startTokenTestApp(mode: 'distributed' | 'standalone'): Promise<TokenTestApp> {
  const adminToken = `tsa_${randomBytes(32).toString('base64url')}`;
  let testDb: TestDatabase | undefined;
  let config;
  if (mode === 'distributed') {
    testDb = await createTestDatabase('tessera_int_clients');
    const pg = new PgDatabase({ connectionString: testDb.url });
    try {
      await runMigrations(pg, { migrations: tokenMigrations });
    } finally {
      await pg.close();
    }
    const prefix = `int_clients_${uniqueSuffix()}`;
    const bus = new KafkaBus({ brokers: kafkaBrokers, clientId: 'int-clients' });
    try {
      await bus.ensureTopics(topicSpecs({ prefix, partitions: 1, retentionMs: 3_600_000 }));
    } finally {
      await bus.close();
    }
    config = loadConfig('token', {
      DATABASE_URL: testDb.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TESSERA_KEK: randomBytes(32).toString('base64'),
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_TOPIC_PREFIX: prefix,
      TESSERA_ISSUER: 'https://issuer.example',
    });
  } else {
    config = loadConfig('standalone', {
      TESSERA_DATA_DIR: 'memory',
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_ISSUER: 'https://issuer.example',
    });
  }

  @Module({
    imports: [
      PlatformContextModule.forRoot({ config, logger: silent, metrics: createMetricsRegistry(config.kind) }),
      PlatformModule.forRoot({ service: config.kind, projections: tokenProjections, migrations: tokenMigrations }),
      ClientsModule,
      ScopesModule,
    ],
  })
  class TestRootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(TestRootModule, createHttpAdapter(), { logger: false });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  return {
    adminToken,
    db: app.get<Database>(DATABASE),
    get: <T>(token: unknown) => app.get(token as never) as T,
    async request({ method, url, headers = {}, payload }) {
      const res = await fastify.inject({
        method: method as 'GET',
        url,
        headers:
          payload !== undefined && typeof payload !== 'string'
            ? { 'content-type': 'application/json', ...headers }
            : headers,
        payload: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      return {
        status: res.statusCode,
        headers: res.headers,
        body: res.body,
        json: () => JSON.parse(res.body) as Record<string, unknown>,
      };
    },
    async close() {
      await app.close();
      await testDb?.drop();
    },
  };
}
