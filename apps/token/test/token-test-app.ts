import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Database, EventStore } from '@tessera/event-store';
import { type MessageBus, topicNames } from '@tessera/messaging';
import {
  createHttpAdapter,
  DATABASE,
  EVENT_STORE,
  loadConfig,
  MESSAGE_BUS,
  PlatformContextModule,
  PlatformModule,
} from '@tessera/platform';
import { createMetricsRegistry, noopLogger } from '@tessera/telemetry';
import { kafkaBrokers } from '../../../test/support/infra';
import { createPlatformFixture, type PlatformFixture } from '../../../test/support/platform-fixture';
import { tokenMigrations } from '../src/migrations';
import { tokenProjections } from '../src/projections';
import { TokenModule } from '../src/token.module';

/** A light HTTP answer from Fastify's inject. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** An event as the assertions need it. */
export interface LoggedEvent {
  id: string;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

/** The whole token service (TokenModule on the platform) over Fastify inject, in one mode. */
export interface TokenTestApp {
  app: NestFastifyApplication;
  adminToken: string;
  issuer: string;
  /** The key-encryption key the service runs with. */
  kek: Buffer;
  db: Database;
  store: EventStore;
  bus: MessageBus;
  revocationsTopic: string;
  /**
   * Every committed event, straight from the table: readAll stops below the
   * oldest open transaction of the database (DESIGN §2), so right after a
   * write it may not show it yet — fine for readers, wrong for assertions.
   */
  loggedEvents(): Promise<LoggedEvent[]>;
  /** A provider of the app (services under test). */
  get<T>(token: unknown): T;
  request(opts: { method: string; url: string; headers?: Record<string, string>; payload?: unknown }): Promise<Answer>;
  /** POST an application/x-www-form-urlencoded body (repeated keys from arrays). */
  form(url: string, form: Record<string, string | string[]>, headers?: Record<string, string>): Promise<Answer>;
  /** A JSON request (no body when `payload` is undefined). */
  json(method: string, url: string, payload: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

const ISSUER = 'https://issuer.example';

/**
 * Boots TokenModule on the platform exactly as the token service does (same
 * HTTP adapter, filters and projections), in distributed mode on a fresh
 * PostgreSQL database + Kafka under a unique topic prefix, or standalone on
 * in-memory PGlite with the in-process bus.
 */
export async function startTokenTestApp(mode: 'distributed' | 'standalone'): Promise<TokenTestApp> {
  const adminToken = `tsa_${randomBytes(32).toString('base64url')}`;
  const kek = randomBytes(32);
  let fixture: PlatformFixture | undefined;
  let config;
  if (mode === 'distributed') {
    fixture = await createPlatformFixture('int_token', tokenMigrations);
    const prefix = fixture.topicPrefix;
    config = loadConfig('token', {
      DATABASE_URL: fixture.database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TESSERA_KEK: kek.toString('base64'),
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_TOPIC_PREFIX: prefix,
      TESSERA_ISSUER: ISSUER,
    });
  } else {
    config = loadConfig('standalone', {
      TESSERA_DATA_DIR: 'memory',
      TESSERA_KEK: kek.toString('base64'),
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_ISSUER: ISSUER,
    });
  }

  @Module({
    imports: [
      PlatformContextModule.forRoot({ config, logger: noopLogger, metrics: createMetricsRegistry(config.kind) }),
      PlatformModule.forRoot({ service: config.kind, projections: tokenProjections, migrations: tokenMigrations }),
      TokenModule,
    ],
  })
  class TestRootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(TestRootModule, createHttpAdapter(), { logger: false });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const send = async (opts: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): Promise<Answer> => {
    const res = await fastify.inject({ ...opts, method: opts.method as 'GET' });
    return {
      status: res.statusCode,
      headers: res.headers,
      body: res.body,
      json: <T>() => JSON.parse(res.body) as T,
    };
  };
  const withJson = (payload: unknown, headers: Record<string, string>) =>
    payload === undefined || typeof payload === 'string'
      ? { headers, payload: payload as string | undefined }
      : { headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) };
  return {
    app,
    adminToken,
    issuer: ISSUER,
    kek,
    db: app.get<Database>(DATABASE),
    store: app.get<EventStore>(EVENT_STORE),
    bus: app.get<MessageBus>(MESSAGE_BUS),
    revocationsTopic: topicNames(config.topics.prefix).revocations,
    loggedEvents: async () => {
      const rows = await app
        .get<Database>(DATABASE)
        .query<{ event_id: string; stream_id: string; type: string; data: Record<string, unknown> }>(
          'SELECT event_id, stream_id, type, data FROM eventlog.events ORDER BY position',
        );
      return rows.map((r) => ({ id: r.event_id, streamId: r.stream_id, type: r.type, data: r.data }));
    },
    get: <T>(token: unknown) => app.get(token as never, { strict: false }) as T,
    request: ({ method, url, headers = {}, payload }) => send({ method, url, ...withJson(payload, headers) }),
    form(url, form, headers = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
      return send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: body.toString(),
      });
    },
    json: (method, url, payload, headers = {}) => send({ method, url, ...withJson(payload, headers) }),
    async close() {
      await app.close();
      await fixture?.drop();
    },
  };
}
