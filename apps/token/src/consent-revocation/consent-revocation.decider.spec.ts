import { ConsentEvents, TokenEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { revocationMessage } from '../revocation/revocation-message';
import type { AccessTokenState } from '../tokens/access-token.decider';
import type { RefreshFamilyState } from '../tokens/refresh-family.decider';
import { evolveConsentGrants, type ConsentGrantsRow } from './consent-grants.projection';
import { decideConsentRevocation } from './consent-revocation.decider';

const now = new Date('2026-01-01T00:00:00.000Z');
const meta = { now, actor: 'system:consent-revocation' };
const later = '2026-01-01T01:00:00.000Z';

let position = 0;
function recorded(type: string, data: object, at = now): RecordedEvent {
  position++;
  return {
    id: `e${position}`,
    position,
    transactionId: '1',
    streamId: 's',
    streamVersion: 1,
    type,
    data: data as Record<string, unknown>,
    metadata: {},
    recordedAt: at,
  } as RecordedEvent;
}

const family: RefreshFamilyState = {
  familyId: 'f1',
  clientId: 'app',
  sub: 'u1',
  scope: ['openid'],
  aud: ['api'],
  expiresAt: later,
  current: 'r2',
  spent: ['r1'],
  accessTokenHandles: ['a1', 'a2'],
  revoked: false,
};
const token = { handle: 'a9', clientId: 'app', sub: 'u1', expiresAt: later, revoked: false } as AccessTokenState;
const input = { consentId: 'k.1', sub: 'u1', clientId: 'app', cascades: [] as RecordedEvent[], cascadesSeen: 0 };

describe('consent revocation decider', () => {
  it('revokes each live family and token on its own stream and lists them all in one grants.revoked', () => {
    const appends = decideConsentRevocation(
      { ...input, families: [{ state: family, version: 3 }], accessTokens: [{ state: token, version: 1 }] },
      meta,
    );
    expect(appends.map((a) => [a.streamId, a.expectedVersion, a.events.map((e) => e.type)])).toEqual([
      ['refreshfamily-f1', 3, [TokenEvents.refreshFamilyRevoked]],
      ['accesstoken-a9', 1, [TokenEvents.accessTokenRevoked]],
      ['consentrevocation-k.1', 0, [TokenEvents.grantsRevoked]],
    ]);
    expect(appends[0].events[0].data).toMatchObject({ reason: 'consent_revoked' });
    expect(appends[2].events[0].data).toEqual({
      consentId: 'k.1',
      sub: 'u1',
      clientId: 'app',
      reason: 'consent_revoked',
      refreshFamilyIds: ['f1'],
      refreshHandles: ['r1', 'r2'],
      accessTokenHandles: ['a1', 'a2', 'a9'],
      revokedAt: now.toISOString(),
    });
  });

  it('skips what is already revoked or expired; records an empty cascade once to close the work item', () => {
    const dead = {
      ...input,
      families: [{ state: { ...family, revoked: true }, version: 4 }],
      accessTokens: [{ state: { ...token, expiresAt: now.toISOString() }, version: 1 }],
    };
    const appends = decideConsentRevocation(dead, meta);
    expect(appends).toHaveLength(1);
    expect(appends[0].events[0].data).toMatchObject({ refreshFamilyIds: [], accessTokenHandles: [] });
    const once = recorded(TokenEvents.grantsRevoked, appends[0].events[0].data);
    // The row has not folded that cascade yet: it will close the row, nothing to add.
    expect(decideConsentRevocation({ ...dead, cascades: [once] }, meta)).toEqual([]);
  });

  it('closes a row made pending again by a late grant with nothing left to revoke (no pending-forever row)', () => {
    const first = recorded(TokenEvents.grantsRevoked, { consentId: 'k.1' });
    // After the cascade, an access token of an already revoked family and an expired one turned the row pending.
    const late = {
      ...input,
      families: [{ state: { ...family, revoked: true }, version: 4 }],
      accessTokens: [{ state: { ...token, expiresAt: now.toISOString() }, version: 1 }],
      cascades: [first],
      cascadesSeen: 1,
    };
    const appends = decideConsentRevocation(late, meta);
    expect(appends.map((a) => [a.streamId, a.expectedVersion])).toEqual([['consentrevocation-k.1', 1]]);
    expect(appends[0].events[0].data).toMatchObject({ refreshHandles: [], accessTokenHandles: [] });
    expect(revocationMessage(recorded(appends[0].events[0].type, appends[0].events[0].data))).toBeNull();
    // The projection folds it to not pending.
    const fold = (...events: RecordedEvent[]) =>
      events.reduce<ConsentGrantsRow | null>((s, e) => evolveConsentGrants(s, e), null);
    const revokedEvent = recorded(ConsentEvents.revoked, {
      consentId: 'k.1',
      sub: 'u1',
      clientId: 'app',
      revokedAt: 'x',
    });
    const issuedLate = recorded(TokenEvents.accessTokenIssued, { handle: 'a8', consentId: 'k.1', familyId: 'f1' });
    const stuck = fold(revokedEvent, first, issuedLate);
    expect(stuck).toMatchObject({ pending: 'true', cascades: 1 });
    const closed = evolveConsentGrants(stuck, recorded(TokenEvents.grantsRevoked, appends[0].events[0].data));
    expect(closed).toMatchObject({ cascades: 2, families: {}, accessTokens: {} });
    expect(closed).not.toHaveProperty('pending');
  });

  it('publishes the cascade as one message with every handle; the per-stream events are not published', () => {
    const appends = decideConsentRevocation(
      { ...input, families: [{ state: family, version: 3 }], accessTokens: [{ state: token, version: 1 }] },
      meta,
    );
    const messages = appends
      .flatMap((a) => a.events)
      .map((e) => revocationMessage(recorded(e.type, e.data)))
      .filter((m) => m !== null);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.value.data).toMatchObject({
      handles: ['r1', 'r2', 'a1', 'a2', 'a9'],
      reason: 'consent_revoked',
    });
    const empty = { ...appends[2].events[0].data, refreshHandles: [], accessTokenHandles: [] };
    expect(revocationMessage(recorded(TokenEvents.grantsRevoked, empty))).toBeNull();
  });
});

describe('token.consent_grants', () => {
  const fold = (...events: RecordedEvent[]) =>
    events.reduce<ConsentGrantsRow | null>((s, e) => evolveConsentGrants(s, e), null);
  const issued = (handle: string, extra: object = {}) =>
    recorded(TokenEvents.accessTokenIssued, { handle, consentId: 'k.1', expiresAt: later, ...extra });
  const started = recorded(TokenEvents.refreshFamilyStarted, { familyId: 'f1', consentId: 'k.1', expiresAt: later });
  const revoked = recorded(ConsentEvents.revoked, { consentId: 'k.1', sub: 'u1', clientId: 'app', revokedAt: 'x' });

  it('collects the grants and turns pending when the consent is revoked', () => {
    const row = fold(started, issued('a1', { familyId: 'f1' }), issued('a9'));
    expect(row).toEqual({ consentId: 'k.1', families: { f1: later }, accessTokens: { a9: later } });
    expect(evolveConsentGrants(row, revoked)).toMatchObject({ pending: 'true', revoked: { sub: 'u1' } });
    expect(fold(revoked)).not.toHaveProperty('pending');
  });

  it('a grant recorded after the cascade makes the row pending again, decided as a second cascade', () => {
    const cascade = recorded(TokenEvents.grantsRevoked, { consentId: 'k.1' });
    const late = fold(started, revoked, cascade, issued('a7'));
    expect(late).toMatchObject({ accessTokens: { a7: later }, pending: 'true' });
    const appends = decideConsentRevocation(
      {
        ...input,
        families: [],
        accessTokens: [{ state: { ...token, handle: 'a7' }, version: 1 }],
        cascades: [cascade],
        cascadesSeen: 1,
      },
      meta,
    );
    expect(appends.map((a) => [a.streamId, a.expectedVersion])).toEqual([
      ['accesstoken-a7', 1],
      ['consentrevocation-k.1', 1],
    ]);
  });

  it('grants.revoked clears the work; expired grants drop out as time passes', () => {
    const cleared = fold(started, issued('a9'), revoked, recorded(TokenEvents.grantsRevoked, { consentId: 'k.1' }));
    expect(cleared).toMatchObject({ families: {}, accessTokens: {} });
    expect(cleared).not.toHaveProperty('pending');
    const afterExpiry = fold(issued('a9'), recorded(ConsentEvents.revoked, { consentId: 'k.1' }, new Date(later)));
    expect(afterExpiry).toMatchObject({ accessTokens: {} });
    expect(afterExpiry).not.toHaveProperty('pending');
  });
});
