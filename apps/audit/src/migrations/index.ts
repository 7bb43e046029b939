import type { Migration } from '@tessera/event-store';
import { auditTrail0001 } from './0001_audit-trail.migration';

/** The audit service's private-schema migrations, in order (ids `audit/NNNN_…`; add new ones at the end). */
export const auditMigrations: readonly Migration[] = [auditTrail0001];
