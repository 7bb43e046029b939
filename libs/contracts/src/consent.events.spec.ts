import { ConsentEvents, foldConsent } from './consent.events';

const granted = (requestId?: string) => ({
  type: ConsentEvents.granted,
  data: {
    consentId: 'k.1',
    sub: 'u',
    clientId: 'app',
    scopes: ['profile'],
    grantedAt: '2026-11-29T10:00:00.000Z',
    ...(requestId ? { requestId } : {}),
  },
});
const revoked = {
  type: ConsentEvents.revoked,
  data: { consentId: 'k.1', sub: 'u', clientId: 'app', revokedAt: '2026-11-29T11:00:00.000Z' },
};

describe('foldConsent', () => {
  it('keeps the request id of the last grant only (and none after a revocation)', () => {
    expect(foldConsent([granted('r1')])?.requestId).toBe('r1');
    expect(foldConsent([granted('r1'), granted('r2')])?.requestId).toBe('r2');
    expect(foldConsent([granted('r1'), granted()])?.requestId).toBeUndefined();
    expect(foldConsent([granted('r1'), revoked])?.requestId).toBeUndefined();
  });
});
