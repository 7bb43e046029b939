import type { Migration } from '@tessera/event-store';
import { signingKeys0001 } from './0001_signing-keys.migration';
import { clientSecrets0002 } from './0002_client-secrets.migration';
import { clientSecretCheck0003 } from './0003_client-secret-check.migration';

/** The token service's private-schema migrations, in order (ids `token/NNNN_…`; add new ones at the end). */
export const tokenMigrations: readonly Migration[] = [signingKeys0001, clientSecrets0002, clientSecretCheck0003];
