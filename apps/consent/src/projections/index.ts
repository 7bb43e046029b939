import type { Projection } from '@tessera/projections';
import { consentsProjection } from '../consents/consents.projection';

/** The read models the consent service keeps (STYLE 6: one index per app). */
export const consentProjections: readonly Projection[] = [consentsProjection];
