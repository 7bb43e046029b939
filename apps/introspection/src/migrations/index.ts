import type { Migration } from '@tessera/event-store';
import { signingKeys0001 } from './0001_signing-keys.migration';

/** The introspection service's private-schema migrations, in order (ids `introspection/NNNN_…`; add new ones at the end). */
export const introspectionMigrations: readonly Migration[] = [signingKeys0001];
