import { TokenEvents, TokenExchangeEvents } from '@tessera/contracts';
import { decideAfterConflict } from './exchange-conflict.decider';

const exchanged = { type: TokenExchangeEvents.tokenExchanged };
const revoked = { type: TokenEvents.accessTokenRevoked };

describe('after an exchange lost a race on the subject token (RFC 8693 lineage)', () => {
  it('appends again when only sibling exchanges came in between', () => {
    expect(decideAfterConflict([exchanged])).toBe('append-again');
    expect(decideAfterConflict([exchanged, exchanged, exchanged])).toBe('append-again');
  });

  it('decides again (and so refuses) when a revocation came in between, alone or among exchanges', () => {
    expect(decideAfterConflict([revoked])).toBe('decide-again');
    expect(decideAfterConflict([exchanged, revoked])).toBe('decide-again');
    expect(decideAfterConflict([revoked, exchanged])).toBe('decide-again');
  });

  it('decides again when the subject did not move (another guard, the refresh family, did) or moved otherwise', () => {
    expect(decideAfterConflict([])).toBe('decide-again');
    expect(decideAfterConflict([exchanged, { type: 'access-token.something-else' }])).toBe('decide-again');
  });
});
