import { randomBytes } from 'node:crypto';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Tracer } from '@opentelemetry/api';
import type { Database, Migration } from '@tessera/event-store';
import { topicNames } from '@tessera/messaging';
import {
  createHttpAdapter,
  DATABASE,
  loadConfig,
  PlatformContextModule,
  PlatformModule,
  type ServiceConfig,
  type ServiceName,
  type StandaloneConfig,
} from '@tessera/platform';
import type { Projection } from '@tessera/projections';
import { createMetricsRegistry, noopLogger } from '@tessera/telemetry';
import { createPlatformFixture, type PlatformFixture } from './platform-fixture';

/** How the platform runs: PostgreSQL + Kafka, or in-memory PGlite + the in-process bus. */
export type TestMode = 'distributed' | 'standalone';

/** A light HTTP answer from Fastify's inject. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** An event as the assertions need it, straight from the table (data and metadata as stored). */
export interface LoggedEvent {
  id: string;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** One running Nest app over Fastify inject. */
export interface InjectClient {
  app: NestFastifyApplication;
  /** A provider of the app (services under test). */
  get<T>(token: unknown): T;
  /** A request; a payload that is not a string goes as JSON. */
  request(opts: { method: string; url: string; headers?: Record<string, string>; payload?: unknown }): Promise<Answer>;
  /** POST an application/x-www-form-urlencoded body (repeated keys from arrays). */
  form(url: string, form: Record<string, string | string[]>, headers?: Record<string, string>): Promise<Answer>;
  /** A JSON request (a string payload goes as is; no body when undefined). */
  json(method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

/** One service of the deployment under test: what its process runs. */
export interface TestService {
  kind: ServiceName;
  modules: Type[];
  projections: readonly Projection[];
  /** Its private-schema migrations (none when it keeps no tables of its own). */
  migrations?: readonly Migration[];
}

/** What `startServiceTestApp` boots. */
export interface ServiceTestAppOptions {
  mode: TestMode;
  /** Names the fixture's database and topics (`int_<service>`). */
  name: string;
  /** In start order: one app each in distributed mode, one app composing them all in standalone mode. */
  services: TestService[];
  issuer?: string;
  /** The content type `json()` sends (default `application/json`). */
  jsonContentType?: string;
  /** Each app's tracer, by process kind (telemetry tests: one provider per service); default the global one. */
  tracerFor?: (kind: string) => Tracer;
}

/** The services of one deployment on one log, over Fastify inject. */
export interface ServiceTestApp {
  mode: TestMode;
  adminToken: string;
  issuer: string;
  /** The key-encryption key the services run with. */
  kek: Buffer;
  /** One client per service, in the order given (the same client for all in standalone mode). */
  clients: InjectClient[];
  /** The topics the services publish on. */
  topics: ReturnType<typeof topicNames>;
  /**
   * Every committed event, straight from the table: readAll stops below the
   * oldest open transaction of the database (DESIGN §2), so right after a
   * write it may not show it yet — fine for readers, wrong for assertions.
   */
  loggedEvents(): Promise<LoggedEvent[]>;
  /** Stops the apps (last started first) and drops the fixture. */
  close(): Promise<void>;
}

/** What every harness built on `startServiceTestApp` exposes of its deployment. */
export type TestDeployment = Pick<ServiceTestApp, 'mode' | 'adminToken' | 'issuer' | 'loggedEvents' | 'close'>;

const ISSUER = 'https://issuer.example';

/**
 * Boots the given services on the platform exactly as their processes do
 * (same HTTP adapter, filters, migrations and projections): in distributed
 * mode one app per service on a fresh PostgreSQL database + Kafka topics under
 * a unique prefix, in standalone mode one app composing every module on
 * in-memory PGlite with the in-process bus (as `apps/standalone` does).
 */
export async function startServiceTestApp(opts: ServiceTestAppOptions): Promise<ServiceTestApp> {
  const { mode, services, issuer = ISSUER } = opts;
  // Every service's migrations on the fixture, and for each platform to expect (as `tessera migrate` applies them all).
  const migrations = services.flatMap((s) => s.migrations ?? []);
  const adminToken = `tsa_${randomBytes(32).toString('base64url')}`;
  const kek = randomBytes(32);
  const common = { TESSERA_KEK: kek.toString('base64'), TESSERA_ADMIN_TOKEN: adminToken, TESSERA_ISSUER: issuer };
  const boot = (config: ServiceConfig | StandaloneConfig, modules: Type[], projections: readonly Projection[]) =>
    bootApp(config, modules, projections, migrations, opts.jsonContentType ?? 'application/json', opts.tracerFor);
  let fixture: PlatformFixture | undefined;
  let topicPrefix: string;
  const apps: InjectClient[] = [];
  try {
    if (mode === 'standalone') {
      const config = loadConfig('standalone', { TESSERA_DATA_DIR: 'memory', ...common });
      topicPrefix = config.topics.prefix;
      apps.push(
        await boot(
          config,
          services.flatMap((s) => s.modules),
          services.flatMap((s) => s.projections),
        ),
      );
    } else {
      fixture = await createPlatformFixture(opts.name, migrations);
      topicPrefix = fixture.topicPrefix;
      const env = fixture.env(common);
      for (const s of services) apps.push(await boot(loadConfig(s.kind, env), s.modules, s.projections));
    }
  } catch (err) {
    for (const a of [...apps].reverse()) await a.app.close();
    await fixture?.drop();
    throw err;
  }
  const db = apps.at(-1)!.get<Database>(DATABASE);
  return {
    mode,
    adminToken,
    issuer,
    kek,
    clients: services.map((_, i) => apps[mode === 'standalone' ? 0 : i]),
    topics: topicNames(topicPrefix),
    loggedEvents: async () => {
      const rows = await db.query<{
        event_id: string;
        stream_id: string;
        type: string;
        data: Record<string, unknown>;
        metadata: Record<string, unknown>;
      }>('SELECT event_id, stream_id, type, data, metadata FROM eventlog.events ORDER BY position');
      return rows.map((r) => ({
        id: r.event_id,
        streamId: r.stream_id,
        type: r.type,
        data: r.data,
        metadata: r.metadata,
      }));
    },
    async close() {
      for (const a of [...apps].reverse()) await a.app.close();
      await fixture?.drop();
    },
  };
}

async function bootApp(
  config: ServiceConfig | StandaloneConfig,
  modules: Type[],
  projections: readonly Projection[],
  migrations: readonly Migration[],
  jsonContentType: string,
  tracerFor?: (kind: string) => Tracer,
): Promise<InjectClient> {
  const tracer = tracerFor?.(config.kind);
  @Module({
    imports: [
      PlatformContextModule.forRoot({
        config,
        logger: noopLogger,
        metrics: createMetricsRegistry(config.kind),
        tracer,
      }),
      PlatformModule.forRoot({ service: config.kind, projections, migrations }),
      ...modules,
    ],
  })
  class TestRootModule {}

  // abortOnError off: a failing boot throws here (and the caller cleans up) instead of exiting the worker.
  const app = await NestFactory.create<NestFastifyApplication>(TestRootModule, createHttpAdapter({ tracer }), {
    logger: false,
    abortOnError: false,
  });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const send = async (req: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): Promise<Answer> => {
    const res = await fastify.inject({ ...req, method: req.method as 'GET' });
    return { status: res.statusCode, headers: res.headers, body: res.body, json: <T>() => JSON.parse(res.body) as T };
  };
  const body = (payload: unknown) => (typeof payload === 'string' ? payload : JSON.stringify(payload));
  return {
    app,
    get: <T>(token: unknown) => app.get(token as never, { strict: false }) as T,
    request: ({ method, url, headers = {}, payload }) =>
      payload === undefined || typeof payload === 'string'
        ? send({ method, url, headers, payload })
        : send({ method, url, headers: { 'content-type': 'application/json', ...headers }, payload: body(payload) }),
    form(url, form, headers = {}) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) params.append(k, one);
      return send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: params.toString(),
      });
    },
    json: (method, url, payload, headers = {}) =>
      payload === undefined
        ? send({ method, url, headers })
        : send({ method, url, headers: { 'content-type': jsonContentType, ...headers }, payload: body(payload) }),
  };
}
