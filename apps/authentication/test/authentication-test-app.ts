import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import {
  type InjectClient,
  startServiceTestApp,
  type TestDeployment,
  type TestMode,
  type TestService,
} from '../../../test/support/service-test-app';
import { AuthenticationModule } from '../src/authentication.module';
import { authenticationMigrations } from '../src/migrations';
import { authenticationProjections } from '../src/projections';

export type { LoggedEvent } from '../../../test/support/service-test-app';

/** The authentication service as a test deployment runs it. */
export const authenticationService: TestService = {
  kind: 'authentication',
  modules: [AuthenticationModule],
  projections: authenticationProjections,
  migrations: authenticationMigrations,
};

/**
 * The authentication service (AuthenticationModule on the platform) over
 * Fastify inject, in one mode; `json()` sends `application/scim+json`.
 */
export interface AuthenticationTestApp extends InjectClient, TestDeployment {
  kek: Buffer;
  db: Database;
  store: EventStore;
}

/**
 * Boots AuthenticationModule on the platform as the authentication service
 * does (same HTTP adapter, filters, migrations and projections): distributed
 * on a fresh PostgreSQL database + Kafka topics, or standalone on in-memory
 * PGlite with the in-process bus.
 */
export async function startAuthenticationTestApp(mode: TestMode): Promise<AuthenticationTestApp> {
  const t = await startServiceTestApp({
    mode,
    name: 'int_authn',
    services: [authenticationService],
    jsonContentType: 'application/scim+json',
  });
  const [app] = t.clients;
  return { ...t, ...app, db: app.get<Database>(DATABASE), store: app.get<EventStore>(EVENT_STORE) };
}
