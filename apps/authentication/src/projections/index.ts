import type { Projection } from '@tessera/projections';

/** The read models the authentication service keeps (STYLE 6: one index per app). */
export const authenticationProjections: readonly Projection[] = [];
