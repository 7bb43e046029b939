import type { Database } from '@tessera/event-store';
import type { MessageBus } from '@tessera/messaging';
import { DATABASE, MESSAGE_BUS } from '@tessera/platform';
import {
  type InjectClient,
  startServiceTestApp,
  type TestDeployment,
  type TestMode,
} from '../../../test/support/service-test-app';
import { tokenService } from '../../token/test/token-test-app';
import { AuditModule } from '../src/audit.module';
import { auditMigrations } from '../src/migrations';
import { auditProjections } from '../src/projections';

/** One running Nest app over Fastify inject. */
export type HttpTestClient = InjectClient;

/**
 * The token service and the audit service on one log (issue 7 §1): two apps
 * on a fresh PostgreSQL database and Kafka topics in distributed mode, or both
 * modules in one app on in-memory PGlite with the in-process bus in standalone
 * mode (as `apps/standalone` composes them).
 */
export interface AuditTestApp extends TestDeployment {
  /** Serves /oauth/register, /oauth/token, /oauth/revoke, /admin/scopes and /jwks. */
  token: HttpTestClient;
  /** Serves /audit/* (the same app as `token` in standalone mode). */
  audit: HttpTestClient;
  /** The audit service's database handle (the superuser's in tests: tampering needs it). */
  db: Database;
  /** The audit app's bus (standalone: the in-process one). */
  bus: MessageBus;
  auditTopic: string;
}

/** Starts the token and audit services in one mode. */
export async function startAuditTestApp(mode: TestMode): Promise<AuditTestApp> {
  const t = await startServiceTestApp({
    mode,
    name: 'int_audit',
    services: [
      tokenService,
      { kind: 'audit', modules: [AuditModule], projections: auditProjections, migrations: auditMigrations },
    ],
  });
  const [token, audit] = t.clients;
  return {
    ...t,
    token,
    audit,
    db: audit.get<Database>(DATABASE),
    bus: audit.get<MessageBus>(MESSAGE_BUS),
    auditTopic: t.topics.audit,
  };
}
