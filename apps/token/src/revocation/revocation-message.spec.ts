import { REVOCATION_EVENT_TYPE, REVOCATION_SOURCE, TokenEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { revocationMessage } from './revocation-message';

const at = new Date('2030-01-01T00:00:00Z');
const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  position: 7,
  transactionId: '9',
  streamId: 's',
  streamVersion: 2,
  id: 'evt-1',
  type,
  schemaVersion: 1,
  data,
  metadata: { traceparent: '00-abc-def-01' },
  recordedAt: at,
});

describe('revocation integration event (DESIGN §3)', () => {
  it('maps a family revocation to one message keyed by subject with every handle', () => {
    const message = revocationMessage(
      recorded(TokenEvents.refreshFamilyRevoked, {
        familyId: 'f',
        clientId: 'app',
        sub: 'user-1',
        reason: 'refresh_token_reuse',
        refreshHandles: ['r1', 'r2'],
        accessTokenHandles: ['a1'],
        revokedAt: at.toISOString(),
      }),
    );
    expect(message).toEqual({
      key: 'user-1',
      value: expect.objectContaining({
        id: 'evt-1',
        source: REVOCATION_SOURCE,
        type: REVOCATION_EVENT_TYPE,
        subject: 'user-1',
        traceparent: '00-abc-def-01',
        data: {
          handles: ['r1', 'r2', 'a1'],
          clientId: 'app',
          sub: 'user-1',
          reason: 'refresh_token_reuse',
          revokedAt: at.toISOString(),
          familyId: 'f',
        },
      }),
    });
  });

  it('maps an access token revocation and skips every other event', () => {
    const data = {
      handle: 'a1',
      clientId: 'app',
      sub: 'app',
      reason: 'revoked_by_client',
      revokedAt: at.toISOString(),
    };
    expect(revocationMessage(recorded(TokenEvents.accessTokenRevoked, data))?.value.data).toEqual({
      handles: ['a1'],
      clientId: 'app',
      sub: 'app',
      reason: 'revoked_by_client',
      revokedAt: at.toISOString(),
    });
    // A family's token revoked on its own stream with the family: the family's message lists it (one message).
    expect(
      revocationMessage(recorded(TokenEvents.accessTokenRevoked, { ...data, reason: 'family_revoked' })),
    ).toBeNull();
    expect(revocationMessage(recorded(TokenEvents.accessTokenIssued, { handle: 'a1' }))).toBeNull();
    expect(revocationMessage(recorded('client.registered', {}))).toBeNull();
  });
});
