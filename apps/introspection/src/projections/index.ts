import type { Projection } from '@tessera/projections';

/** The read models the introspection service keeps (STYLE 6: one index per app). */
export const introspectionProjections: readonly Projection[] = [];
