import type { Projection } from '@tessera/projections';
import { auditSigningKeysProjection } from '../keys/signing-keys.projection';

/** The read models the audit service keeps (STYLE 6: one index per app). */
export const auditProjections: readonly Projection[] = [auditSigningKeysProjection];
