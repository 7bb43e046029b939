import type { Projection } from '@tessera/projections';
import { clientsProjection } from '../clients/client.projection';
import { consentGrantsProjection } from '../consent-revocation/consent-grants.projection';
import { signingKeysProjection } from '../keys/signing-keys.projection';
import { lineageWorkProjection } from '../token-exchange/lineage-work.projection';
import { scopesProjection } from '../scopes/scope.projection';
import { accessTokensProjection } from '../tokens/access-token.projection';
import { refreshTokensProjection } from '../tokens/refresh-token.projection';

/** The read models the token service keeps (STYLE 6: one index per app). */
export const tokenProjections: readonly Projection[] = [
  clientsProjection,
  scopesProjection,
  accessTokensProjection,
  refreshTokensProjection,
  signingKeysProjection,
  consentGrantsProjection,
  lineageWorkProjection,
];
