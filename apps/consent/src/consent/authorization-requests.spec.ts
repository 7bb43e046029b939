import { AuthorizationEvents } from '@tessera/contracts';
import { pendingRequest } from './authorization-requests';
import { readCookie } from './signed-in-user';

const received = {
  type: AuthorizationEvents.requestReceived,
  data: { requestId: 'r', clientId: 'app', scope: 'openid', expiresAt: '2026-01-01T00:10:00.000Z' },
};

describe('pendingRequest', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  it('is the received request until it completes or expires', () => {
    expect(pendingRequest([received], now)).toMatchObject({ requestId: 'r' });
    expect(pendingRequest([], now)).toBeNull();
    expect(pendingRequest([received, { type: AuthorizationEvents.requestCompleted, data: {} }], now)).toBeNull();
    expect(pendingRequest([received], new Date('2026-01-01T00:10:00.000Z'))).toBeNull();
  });
});

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    expect(readCookie('a=1; tessera_session=tsr_ses_x; b=2', 'tessera_session')).toBe('tsr_ses_x');
    expect(readCookie('xtessera_session=1', 'tessera_session')).toBeUndefined();
    expect(readCookie(undefined, 'tessera_session')).toBeUndefined();
  });
});
