import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Database, type EventStore, PgDatabase, runMigrations } from '@tessera/event-store';
import { KafkaBus, type MessageBus, topicNames } from '@tessera/messaging';
import {
  createHttpAdapter,
  DATABASE,
  EVENT_STORE,
  loadConfig,
  MESSAGE_BUS,
  PlatformContextModule,
  PlatformModule,
  topicSpecs,
} from '@tessera/platform';
import { createMetricsRegistry } from '@tessera/telemetry';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueSuffix } from '../../../test/support/infra';
import { tokenMigrations } from '../src/migrations';
import { tokenProjections } from '../src/projections';
import { TokenModule } from '../src/token.module';
import type { Answer } from './token-test-app';

/** The whole token service (TokenModule) over Fastify inject, with a test signing key. */
export interface TokenServiceTestApp {
  adminToken: string;
  issuer: string;
  db: Database;
  store: EventStore;
  bus: MessageBus;
  revocationsTopic: string;
  form(url: string, form: Record<string, string | string[]>, headers?: Record<string, string>): Promise<Answer>;
  json(method: string, url: string, payload: unknown, headers?: Record<string, string>): Promise<Answer>;
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const ISSUER = 'https://issuer.example';

/**
 * Boots TokenModule on the platform as the token service does, in distributed
 * mode (fresh PostgreSQL database, Kafka with a unique prefix) or standalone
 * (in-memory PGlite, in-process bus).
 */
export async function startTokenServiceTestApp(mode: 'distributed' | 'standalone'): Promise<TokenServiceTestApp> {
  const adminToken = `tsa_${randomBytes(32).toString('base64url')}`;
  let testDb: TestDatabase | undefined;
  let config;
  if (mode === 'distributed') {
    testDb = await createTestDatabase('tessera_int_tokens');
    const pg = new PgDatabase({ connectionString: testDb.url });
    try {
      await runMigrations(pg, { migrations: tokenMigrations });
    } finally {
      await pg.close();
    }
    const prefix = `int_tokens_${uniqueSuffix()}`;
    const admin = new KafkaBus({ brokers: kafkaBrokers, clientId: 'int-tokens' });
    try {
      await admin.ensureTopics(topicSpecs({ prefix, partitions: 1, retentionMs: 3_600_000 }));
    } finally {
      await admin.close();
    }
    config = loadConfig('token', {
      DATABASE_URL: testDb.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TESSERA_KEK: randomBytes(32).toString('base64'),
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_TOPIC_PREFIX: prefix,
      TESSERA_ISSUER: ISSUER,
    });
  } else {
    config = loadConfig('standalone', {
      TESSERA_DATA_DIR: 'memory',
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_ISSUER: ISSUER,
    });
  }

  @Module({
    imports: [
      PlatformContextModule.forRoot({ config, logger: silent, metrics: createMetricsRegistry(config.kind) }),
      PlatformModule.forRoot({ service: config.kind, projections: tokenProjections, migrations: tokenMigrations }),
      TokenModule,
    ],
  })
  class TestRootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(TestRootModule, createHttpAdapter(), { logger: false });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const answer = (res: { statusCode: number; headers: Answer['headers']; body: string }): Answer => ({
    status: res.statusCode,
    headers: res.headers,
    body: res.body,
    json: () => JSON.parse(res.body) as Record<string, unknown>,
  });
  return {
    adminToken,
    issuer: ISSUER,
    db: app.get<Database>(DATABASE),
    store: app.get<EventStore>(EVENT_STORE),
    bus: app.get<MessageBus>(MESSAGE_BUS),
    revocationsTopic: topicNames(config.topics.prefix).revocations,
    get: <T>(token: unknown) => app.get(token as never, { strict: false }) as T,
    async form(url, form, headers = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
      const res = await fastify.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: body.toString(),
      });
      return answer(res);
    },
    async json(method, url, payload, headers = {}) {
      const res = await fastify.inject({
        method: method as 'POST',
        url,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
        payload: payload === undefined ? undefined : JSON.stringify(payload),
      });
      return answer(res);
    },
    async close() {
      await app.close();
      await testDb?.drop();
    },
  };
}
