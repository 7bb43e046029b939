import type { EventStore } from '@tessera/event-store';
import type { MessageBus } from '@tessera/messaging';
import { EVENT_STORE, MESSAGE_BUS } from '@tessera/platform';
import {
  type InjectClient,
  startServiceTestApp,
  type TestDeployment,
  type TestMode,
  type TestService,
} from '../../../test/support/service-test-app';
import { introspectionService } from '../../introspection/test/introspection-test-app';
import { tokenService } from '../../token/test/token-test-app';
import { ConsentModule } from '../src/consent.module';
import { consentProjections } from '../src/projections';

/** One running Nest app over Fastify inject. */
export type HttpTestClient = InjectClient;

/** The consent service as a test deployment runs it (it keeps no tables of its own). */
export const consentService: TestService = {
  kind: 'consent',
  modules: [ConsentModule],
  projections: consentProjections,
};

/**
 * The token, introspection and consent services on one log (issue 5 §8):
 * three apps on a fresh PostgreSQL database and Kafka topics in distributed
 * mode, or the three modules in one app on in-memory PGlite with the
 * in-process bus in standalone mode (as `apps/standalone` composes them).
 */
export interface ConsentTestApp extends TestDeployment {
  token: HttpTestClient;
  introspection: HttpTestClient;
  consent: HttpTestClient;
  store: EventStore;
  /** The bus the services publish on (a test may subscribe a separate Kafka client instead). */
  bus: MessageBus;
  revocationsTopic: string;
}

/** Starts the token, introspection and consent services in one mode. */
export async function startConsentTestApp(mode: TestMode): Promise<ConsentTestApp> {
  const t = await startServiceTestApp({
    mode,
    name: 'int_consent',
    services: [tokenService, introspectionService, consentService],
  });
  const [token, introspection, consent] = t.clients;
  return {
    ...t,
    token,
    introspection,
    consent,
    store: consent.get<EventStore>(EVENT_STORE),
    bus: token.get<MessageBus>(MESSAGE_BUS),
    revocationsTopic: t.topics.revocations,
  };
}
