import { TokenEvents, accessTokenStream } from '@tessera/contracts';
import type { Projection } from '@tessera/projections';
import { type AccessTokenState, evolveAccessToken } from './access-token.decider';

/**
 * `token.access_tokens`: every access token by handle. A token issued by a
 * refresh family is also inactive once its family is revoked (see
 * `token.refresh_tokens` and the family stream): the cascade is one event on
 * the family, not one row update per token.
 */
export const accessTokensProjection: Projection<AccessTokenState> = {
  name: 'access_tokens',
  schema: 'token',
  version: 1,
  eventTypes: [TokenEvents.accessTokenIssued, TokenEvents.accessTokenRevoked],
  keyOf: (e) => (typeof e.data.handle === 'string' ? e.data.handle : null),
  evolve: evolveAccessToken,
  indexes: { family: 'familyId' },
  streamsOf: (handle) => [accessTokenStream(handle)],
};
