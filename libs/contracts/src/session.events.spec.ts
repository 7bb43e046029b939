import { activeSession, foldSession, SessionEvents, userMayBeSignedIn } from './session.events';
import { UserEvents } from './user.events';

const started = {
  type: SessionEvents.started,
  data: {
    sessionHandle: 'h',
    sub: 'u',
    authTime: '2026-11-29T10:00:00.000Z',
    amr: ['pwd'],
    acr: 'urn:tessera:acr:pwd',
    expiresAt: '2026-11-29T22:00:00.000Z',
  },
};
const ended = { type: SessionEvents.ended, data: { sessionHandle: 'h', endedAt: '2026-11-29T11:00:00.000Z' } };

describe('session fold (brief 5: who is signed in)', () => {
  it('is null for an empty stream and marks an ended session', () => {
    expect(foldSession([])).toBeNull();
    expect(foldSession([started])).toMatchObject({ sub: 'u', ended: false, amr: ['pwd'] });
    expect(foldSession([started, ended])?.ended).toBe(true);
  });

  it('activeSession: only a started, not ended, not expired session signs someone in', () => {
    const now = new Date('2026-11-29T12:00:00.000Z');
    expect(activeSession([started], now)?.sub).toBe('u');
    expect(activeSession([started, ended], now)).toBeNull();
    expect(activeSession([started], new Date('2026-11-29T22:00:00.000Z'))).toBeNull();
  });
});

describe('userMayBeSignedIn', () => {
  const created = (active: boolean) => ({ type: UserEvents.created, data: { active } });
  it('is true only for an existing, active, undeleted user', () => {
    expect(userMayBeSignedIn([created(true)])).toBe(true);
    expect(userMayBeSignedIn([])).toBe(false);
    expect(userMayBeSignedIn([created(false)])).toBe(false);
    expect(userMayBeSignedIn([created(true), { type: UserEvents.updated, data: { active: false } }])).toBe(false);
    expect(userMayBeSignedIn([created(true), { type: UserEvents.deleted, data: {} }])).toBe(false);
  });
});
