import { TokenEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { decideAccessToken, evolveAccessToken } from './access-token.decider';

const now = new Date('2030-01-01T00:00:00Z');
const meta = { now, actor: 'client:app' };
const ev = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  position: 1,
  transactionId: '1',
  streamId: 'accesstoken-h',
  streamVersion: 1,
  id: type,
  type,
  schemaVersion: 1,
  data,
  metadata: {},
  recordedAt: now,
});
const issued = ev(TokenEvents.accessTokenIssued, { handle: 'h', clientId: 'app', sub: 'app', scope: 'read' });
const state = (events: RecordedEvent[]) => events.reduce(evolveAccessToken, null);

describe('access token decider (RFC 7009 §2.1)', () => {
  it('revokes a token of the requesting client', () => {
    expect(decideAccessToken(state([issued]), { type: 'RevokeAccessToken', clientId: 'app' }, meta)).toEqual([
      {
        type: TokenEvents.accessTokenRevoked,
        data: { handle: 'h', clientId: 'app', sub: 'app', reason: 'revoked_by_client', revokedAt: now.toISOString() },
        metadata: { actor: 'client:app' },
      },
    ]);
  });

  it('does nothing for another client, an unknown or an already revoked token', () => {
    const cmd = (clientId: string) => ({ type: 'RevokeAccessToken' as const, clientId });
    expect(decideAccessToken(state([issued]), cmd('other'), meta)).toEqual([]);
    expect(decideAccessToken(null, cmd('app'), meta)).toEqual([]);
    expect(decideAccessToken(state([issued, ev(TokenEvents.accessTokenRevoked, {})]), cmd('app'), meta)).toEqual([]);
  });
});
