import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import {
  type InjectClient,
  startServiceTestApp,
  type TestDeployment,
  type TestMode,
} from '../../../test/support/service-test-app';
import { consentService } from '../../consent/test/consent-test-app';
import { tokenService } from '../../token/test/token-test-app';
import { authenticationService } from './authentication-test-app';

export type { InjectClient } from '../../../test/support/service-test-app';

/**
 * The token, consent and authentication services on one log, for the
 * authorization code flow (issue 5): one app composing the three modules on
 * in-memory PGlite in standalone mode, three apps on a fresh PostgreSQL
 * database + Kafka in distributed mode (nginx would route by path).
 */
export interface AuthorizationFlowTestApp extends TestDeployment {
  /** Serves /oauth/register, /admin/scopes, /oauth/token. */
  token: InjectClient;
  /** Serves /scim/v2/Users, /login, /oauth/authorize, /logout, /userinfo (the same app as `token` standalone). */
  authentication: InjectClient;
  /** Serves /consent and /consents (the same app standalone). */
  consent: InjectClient;
  db: Database;
  store: EventStore;
}

/** Starts token + consent + authentication in one mode. */
export async function startAuthorizationFlowTestApp(mode: TestMode): Promise<AuthorizationFlowTestApp> {
  const t = await startServiceTestApp({
    mode,
    name: 'int_authz',
    services: [tokenService, consentService, authenticationService],
  });
  const [token, consent, authentication] = t.clients;
  return {
    ...t,
    token,
    authentication,
    consent,
    db: authentication.get<Database>(DATABASE),
    store: authentication.get<EventStore>(EVENT_STORE),
  };
}
