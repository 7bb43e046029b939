import type { Migration } from '@tessera/event-store';
import { users0001 } from './0001_users.migration';
import { mfa0002 } from './0002_mfa.migration';

/** The authentication service's private-schema migrations, in order (ids `authentication/NNNN_…`; add new ones at the end). */
export const authenticationMigrations: readonly Migration[] = [users0001, mfa0002];
