import type { Projection } from '@tessera/projections';

/** The read models the consent service keeps (STYLE 6: one index per app). */
export const consentProjections: readonly Projection[] = [];
