import type { Projection } from '@tessera/projections';
import { authenticationSigningKeysProjection } from '../logout/signing-keys.projection';
import { usersProjection } from '../users/users.projection';

/** The read models the authentication service keeps (STYLE 6: one index per app). */
export const authenticationProjections: readonly Projection[] = [usersProjection, authenticationSigningKeysProjection];
