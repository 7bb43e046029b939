import type { Database, EventStore } from '@tessera/event-store';
import type { MessageBus } from '@tessera/messaging';
import { DATABASE, EVENT_STORE, MESSAGE_BUS } from '@tessera/platform';
import {
  type InjectClient,
  startServiceTestApp,
  type TestDeployment,
  type TestMode,
  type TestService,
} from '../../../test/support/service-test-app';
import { tokenMigrations } from '../src/migrations';
import { tokenProjections } from '../src/projections';
import { TokenModule } from '../src/token.module';

export type { Answer, LoggedEvent } from '../../../test/support/service-test-app';

/** The token service as a test deployment runs it. */
export const tokenService: TestService = {
  kind: 'token',
  modules: [TokenModule],
  projections: tokenProjections,
  migrations: tokenMigrations,
};

/** The whole token service (TokenModule on the platform) over Fastify inject, in one mode. */
export interface TokenTestApp extends InjectClient, TestDeployment {
  /** The key-encryption key the service runs with. */
  kek: Buffer;
  db: Database;
  store: EventStore;
  bus: MessageBus;
  revocationsTopic: string;
}

/**
 * Boots TokenModule on the platform exactly as the token service does (same
 * HTTP adapter, filters and projections), in distributed mode on a fresh
 * PostgreSQL database + Kafka under a unique topic prefix, or standalone on
 * in-memory PGlite with the in-process bus.
 */
export async function startTokenTestApp(mode: TestMode): Promise<TokenTestApp> {
  const t = await startServiceTestApp({ mode, name: 'int_token', services: [tokenService] });
  const [app] = t.clients;
  return {
    ...t,
    ...app,
    db: app.get<Database>(DATABASE),
    store: app.get<EventStore>(EVENT_STORE),
    bus: app.get<MessageBus>(MESSAGE_BUS),
    revocationsTopic: t.topics.revocations,
  };
}
