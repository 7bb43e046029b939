import { ConsentEvents, consentIdOf, consentKey, consentRequired, foldConsent } from '@tessera/contracts';
import { type ConsentCommand, decideConsent } from './consent.decider';

const meta = { now: new Date('2026-01-01T00:00:00.000Z'), actor: 'user:u1' };
const key = consentKey('u1', 'app');
const first = consentIdOf(key, 1);
const granted = (scopes: string[], consentId = first) => ({
  type: ConsentEvents.granted,
  data: { consentId, sub: 'u1', clientId: 'app', scopes, grantedAt: meta.now.toISOString() },
});
const revoked = (consentId = first) => ({
  type: ConsentEvents.revoked,
  data: { consentId, sub: 'u1', clientId: 'app', revokedAt: meta.now.toISOString() },
});

function given(...history: { type: string; data: object }[]) {
  const state = foldConsent(history);
  return {
    when: (command: ConsentCommand) => ({
      then: (expected: { type: string; data: object }[]) =>
        expect(decideConsent(state, command, meta).map((e) => ({ type: e.type, data: e.data }))).toEqual(expected),
    }),
  };
}

const grant = (...scopes: string[]): ConsentCommand => ({ type: 'GrantConsent', sub: 'u1', clientId: 'app', scopes });

describe('consent decider', () => {
  it('a first grant starts consent 1 with the sorted scopes', () => {
    given()
      .when(grant('profile', 'openid'))
      .then([granted(['openid', 'profile'])]);
  });

  it('grants only new scopes, cumulatively; nothing new yields no event', () => {
    given(granted(['openid', 'profile']))
      .when(grant('email', 'openid'))
      .then([granted(['email', 'openid', 'profile'])]);
    given(granted(['openid', 'profile']))
      .when(grant('profile'))
      .then([]);
  });

  it('revokes the current consent; an absent, revoked or superseded one yields nothing', () => {
    given(granted(['openid']))
      .when({ type: 'RevokeConsent', consentId: first })
      .then([revoked()]);
    given().when({ type: 'RevokeConsent', consentId: first }).then([]);
    given(granted(['openid']), revoked())
      .when({ type: 'RevokeConsent', consentId: first })
      .then([]);
    given(granted(['openid']))
      .when({ type: 'RevokeConsent', consentId: consentIdOf(key, 2) })
      .then([]);
  });

  it('a grant after a revocation is a new consent id with only the new scopes', () => {
    given(granted(['openid', 'profile']), revoked())
      .when(grant('openid'))
      .then([granted(['openid'], consentIdOf(key, 2))]);
  });
});

describe('foldConsent and consentRequired', () => {
  it('folds grants and revocations', () => {
    expect(foldConsent([])).toBeNull();
    expect(foldConsent([granted(['openid', 'profile'])])).toMatchObject({ consentId: first, revoked: false });
    expect(foldConsent([granted(['openid']), revoked()])).toMatchObject({ scopes: [], revoked: true, generation: 1 });
    expect(foldConsent([granted(['openid']), revoked(), granted(['email'], consentIdOf(key, 2))])).toMatchObject({
      consentId: consentIdOf(key, 2),
      scopes: ['email'],
      generation: 2,
    });
  });

  it('asks for scopes not granted (openid never counts) and on prompt=consent', () => {
    const consent = foldConsent([granted(['openid', 'profile'])]);
    expect(consentRequired(consent, ['openid', 'profile'])).toBe(false);
    expect(consentRequired(null, ['openid'])).toBe(false);
    expect(consentRequired(consent, ['openid', 'email'])).toBe(true);
    expect(consentRequired(consent, ['profile'], 'login consent')).toBe(true);
    expect(consentRequired(foldConsent([granted(['profile']), revoked()]), ['profile'])).toBe(true);
  });
});

describe('consent decider: answers to a consent page', () => {
  it('granting no scope at all yields nothing', () => {
    given().when(grant()).then([]);
    given()
      .when({ ...grant(), requestId: 'req-1' } as ConsentCommand)
      .then([]);
  });

  it('an answer with nothing new is still recorded, with the request it answers', () => {
    given(granted(['openid', 'profile']))
      .when({ ...grant('profile'), requestId: 'req-1' } as ConsentCommand)
      .then([
        { ...granted(['openid', 'profile']), data: { ...granted(['openid', 'profile']).data, requestId: 'req-1' } },
      ]);
  });
});
