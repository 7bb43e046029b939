import { TokenEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { revokeCodeAccessToken } from './authorization-code.replay';

const meta = { now: new Date('2030-01-01T00:00:00Z'), actor: 'client:rp-1' };
const at = (type: string, data: object) => ({ type, data }) as unknown as RecordedEvent;
const issued = at(TokenEvents.accessTokenIssued, { handle: 'at-1', clientId: 'rp-1', sub: 'user-1' });

describe("revokeCodeAccessToken (RFC 9700 §4.5: a replayed code's lone access token)", () => {
  it('revokes it with the reason authorization_code_reuse', () => {
    const [event] = revokeCodeAccessToken([issued], meta);
    expect(event.type).toBe(TokenEvents.accessTokenRevoked);
    expect(event.data).toEqual({
      handle: 'at-1',
      clientId: 'rp-1',
      sub: 'user-1',
      reason: 'authorization_code_reuse',
      revokedAt: meta.now.toISOString(),
    });
  });

  it('revokes nothing twice, nor a token the log does not have', () => {
    const revoked = at(TokenEvents.accessTokenRevoked, { handle: 'at-1' });
    expect(revokeCodeAccessToken([issued, revoked], meta)).toEqual([]);
    expect(revokeCodeAccessToken([], meta)).toEqual([]);
  });
});
