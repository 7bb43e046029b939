import type { Projection } from '@tessera/projections';
import { auditProjections } from '../../audit/src/projections';
import { authenticationProjections } from '../../authentication/src/projections';
import { consentProjections } from '../../consent/src/projections';
import { introspectionProjections } from '../../introspection/src/projections';
import { tokenProjections } from '../../token/src/projections';

/** Every service's read models: what the standalone process keeps and the CLI can rebuild. */
export const allProjections: readonly Projection[] = [
  ...authenticationProjections,
  ...tokenProjections,
  ...introspectionProjections,
  ...consentProjections,
  ...auditProjections,
];
