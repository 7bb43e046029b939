import type { Projection } from '@tessera/projections';

/** The read models the audit service keeps (STYLE 6: one index per app). */
export const auditProjections: readonly Projection[] = [];
