import { ConsentEvents, type ConsentState, consentStreamOfId, evolveConsent } from '@tessera/contracts';
import type { Projection } from '@tessera/projections';

/**
 * `consent.consents`: every consent by consent id, indexed on the user
 * (`/consents` lists a user's). A consent id names its stream, so a miss
 * reads through to the log (DESIGN §4).
 */
export const consentsProjection: Projection<ConsentState> = {
  name: 'consents',
  schema: 'consent',
  version: 1,
  eventTypes: Object.values(ConsentEvents),
  keyOf: (e) => (typeof e.data.consentId === 'string' ? e.data.consentId : null),
  evolve: (state, e) => evolveConsent(state, e),
  indexes: { sub: 'sub' },
  streamsOf: (consentId) => {
    const stream = consentStreamOfId(consentId);
    return stream === null ? [] : [stream];
  },
};
