import type { Database } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';
import {
  type InjectClient,
  startServiceTestApp,
  type TestDeployment,
  type TestMode,
  type TestService,
} from '../../../test/support/service-test-app';
import { tokenService } from '../../token/test/token-test-app';
import { IntrospectionModule } from '../src/introspection.module';
import { introspectionMigrations } from '../src/migrations';
import { introspectionProjections } from '../src/projections';

/** One running Nest app over Fastify inject. */
export type HttpTestClient = InjectClient;

/** The introspection service as a test deployment runs it. */
export const introspectionService: TestService = {
  kind: 'introspection',
  modules: [IntrospectionModule],
  projections: introspectionProjections,
  migrations: introspectionMigrations,
};

/**
 * The token service and the introspection service on one log (issue 4): two
 * processes' worth of apps on a fresh PostgreSQL database and Kafka topics in
 * distributed mode, or both modules in one app on in-memory PGlite with the
 * in-process bus in standalone mode (as `apps/standalone` composes them).
 */
export interface IntrospectionTestApp extends TestDeployment {
  /** Serves /oauth/register, /oauth/token, /oauth/revoke and /jwks. */
  token: HttpTestClient;
  /** Serves /oauth/introspect (the same app as `token` in standalone mode). */
  introspection: HttpTestClient;
  db: Database;
}

/** Starts the token and introspection services in one mode. */
export async function startIntrospectionTestApp(mode: TestMode): Promise<IntrospectionTestApp> {
  const t = await startServiceTestApp({
    mode,
    name: 'int_introspection',
    services: [tokenService, introspectionService],
  });
  const [token, introspection] = t.clients;
  return { ...t, token, introspection, db: introspection.get<Database>(DATABASE) };
}
