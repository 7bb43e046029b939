import type { Projection } from '@tessera/projections';
import { activeTokensProjection } from '../introspection/active-tokens.projection';
import { refreshFamiliesProjection } from '../introspection/refresh-families.projection';
import { introspectionSigningKeysProjection } from '../keys/signing-keys.projection';

/** The read models the introspection service keeps (STYLE 6: one index per app). */
export const introspectionProjections: readonly Projection[] = [
  activeTokensProjection,
  refreshFamiliesProjection,
  introspectionSigningKeysProjection,
];
