import type { Projection } from '@tessera/projections';

/** The read models the token service keeps (STYLE 6: one index per app). */
export const tokenProjections: readonly Projection[] = [];
