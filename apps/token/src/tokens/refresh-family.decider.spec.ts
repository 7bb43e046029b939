import { TokenEvents } from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import { InvalidGrantError, InvalidScopeError } from '@tessera/oauth';
import { decideRefreshFamily, type RefreshFamilyCommand, refreshFamilyFrom } from './refresh-family.decider';

const now = new Date('2030-01-01T00:00:00Z');
const meta = { now, actor: 'client:app', correlationId: 'c-1' };

const started: NewEvent = {
  type: TokenEvents.refreshFamilyStarted,
  data: {
    familyId: 'f1',
    clientId: 'app',
    sub: 'user-1',
    scope: 'read write',
    aud: ['https://api.example'],
    refreshHandle: 'rt1',
    accessTokenHandle: 'at1',
    issuedAt: '2029-12-31T00:00:00.000Z',
    expiresAt: '2030-02-01T00:00:00.000Z',
  },
};
const rotated = (previousHandle: string, refreshHandle: string, accessTokenHandle: string): NewEvent => ({
  type: TokenEvents.refreshTokenRotated,
  data: {
    familyId: 'f1',
    previousHandle,
    refreshHandle,
    accessTokenHandle,
    scope: 'read',
    rotatedAt: now.toISOString(),
  },
});

function recorded(events: NewEvent[]): RecordedEvent[] {
  return events.map((e, i) => ({
    position: i + 1,
    transactionId: '1',
    streamId: 'refreshfamily-f1',
    streamVersion: i + 1,
    id: `e${i}`,
    type: e.type,
    schemaVersion: 1,
    data: e.data,
    metadata: {},
    recordedAt: now,
  }));
}

/** given(events).when(command) → the decided events, or the thrown error. */
function given(events: NewEvent[]) {
  return {
    when: (command: RefreshFamilyCommand) => {
      const run = () => decideRefreshFamily(refreshFamilyFrom(recorded(events)), command, meta);
      return {
        then: (expected: Partial<NewEvent>[]) => expect(run()).toEqual(expected.map((e) => expect.objectContaining(e))),
        thenThrows: (error: new (...a: never[]) => Error, message?: RegExp) => {
          expect(run).toThrow(error);
          if (message) expect(run).toThrow(message);
        },
      };
    },
  };
}

const rotate = (presentedHandle: string, extra: Partial<RefreshFamilyCommand> = {}): RefreshFamilyCommand =>
  ({
    type: 'RotateRefreshToken',
    presentedHandle,
    clientId: 'app',
    refreshHandle: 'rt-next',
    accessTokenHandle: 'at-next',
    ...extra,
  }) as RefreshFamilyCommand;

describe('refresh family decider (RFC 9700 §4.14.2, DESIGN §2)', () => {
  it('starts a family', () => {
    const { issuedAt: _drop, ...data } = started.data as Record<string, unknown>;
    given([])
      .when({ type: 'StartRefreshFamily', data } as RefreshFamilyCommand)
      .then([{ type: TokenEvents.refreshFamilyStarted, data: { ...data, issuedAt: now.toISOString() } }]);
  });

  it('rotates the live token, keeping the whole scope when none is asked', () => {
    given([started])
      .when(rotate('rt1'))
      .then([
        {
          type: TokenEvents.refreshTokenRotated,
          data: {
            familyId: 'f1',
            previousHandle: 'rt1',
            refreshHandle: 'rt-next',
            accessTokenHandle: 'at-next',
            scope: 'read write',
            rotatedAt: now.toISOString(),
          },
          metadata: { actor: 'client:app', correlationId: 'c-1' },
        },
      ]);
  });

  it('lets the scope narrow', () => {
    given([started])
      .when(rotate('rt1', { scope: ['read'] }))
      .then([{ type: TokenEvents.refreshTokenRotated, data: expect.objectContaining({ scope: 'read' }) }]);
  });

  it('refuses a wider scope with invalid_scope and no event', () => {
    given([started])
      .when(rotate('rt1', { scope: ['read', 'admin'] }))
      .thenThrows(InvalidScopeError, /admin/);
  });

  it('answers a replayed (spent) token by revoking the family with every token it issued', () => {
    given([started, rotated('rt1', 'rt2', 'at2')])
      .when(rotate('rt1'))
      .then([
        {
          type: TokenEvents.refreshFamilyRevoked,
          data: {
            familyId: 'f1',
            clientId: 'app',
            sub: 'user-1',
            reason: 'refresh_token_reuse',
            refreshHandles: ['rt1', 'rt2'],
            accessTokenHandles: ['at1', 'at2'],
            revokedAt: now.toISOString(),
          },
        },
      ]);
  });

  it('refuses a token of a revoked family without new events', () => {
    const revoked: NewEvent = { type: TokenEvents.refreshFamilyRevoked, data: { familyId: 'f1' } };
    given([started, revoked])
      .when(rotate('rt1'))
      .thenThrows(InvalidGrantError, /revoked/);
  });

  it('binds the token to its client', () => {
    given([started])
      .when(rotate('rt1', { clientId: 'other' }))
      .thenThrows(InvalidGrantError, /another client/);
  });

  it('refuses an expired family and an unknown one', () => {
    const expired = { ...started, data: { ...started.data, expiresAt: '2029-12-31T23:59:59.000Z' } };
    given([expired])
      .when(rotate('rt1'))
      .thenThrows(InvalidGrantError, /expired/);
    given([]).when(rotate('rt1')).thenThrows(InvalidGrantError);
  });

  it('revokes on request by its own client only, once', () => {
    const revoke = (clientId: string): RefreshFamilyCommand => ({
      type: 'RevokeRefreshFamily',
      clientId,
      reason: 'revoked_by_client',
    });
    given([started])
      .when(revoke('app'))
      .then([
        {
          type: TokenEvents.refreshFamilyRevoked,
          data: expect.objectContaining({
            reason: 'revoked_by_client',
            refreshHandles: ['rt1'],
            accessTokenHandles: ['at1'],
          }),
        },
      ]);
    given([started]).when(revoke('other')).then([]);
    given([started, { type: TokenEvents.refreshFamilyRevoked, data: {} }])
      .when(revoke('app'))
      .then([]);
    given([]).when(revoke('app')).then([]);
  });
});
