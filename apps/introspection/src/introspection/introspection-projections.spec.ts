import { TokenEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { activeTokensProjection } from './active-tokens.projection';
import { refreshFamiliesProjection } from './refresh-families.projection';

const ev = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ type, data, streamId: 's', position: 1 }) as unknown as RecordedEvent;
const issued = {
  handle: 'h1',
  clientId: 'c',
  sub: 's',
  scope: 'a',
  aud: ['rs'],
  format: 'reference',
  jti: 'j',
  issuedAt: '2030-01-01T00:00:00.000Z',
  expiresAt: '2030-01-01T00:15:00.000Z',
  familyId: 'f1',
  claims: { account_nr: '42' },
};

describe('introspection read models', () => {
  it('active_tokens: issued, then revoked on its own, keyed by handle', () => {
    const p = activeTokensProjection;
    expect(p.schema).toBe('introspection');
    const first = p.evolve(null, ev(TokenEvents.accessTokenIssued, issued));
    expect(first).toEqual({ ...issued, revoked: false });
    expect(p.keyOf(ev(TokenEvents.accessTokenRevoked, { handle: 'h1' }))).toBe('h1');
    expect(p.evolve(first, ev(TokenEvents.accessTokenRevoked, { handle: 'h1' }))?.revoked).toBe(true);
    expect(p.streamsOf?.('h1')).toEqual(['accesstoken-h1']);
  });

  it('active_tokens keeps act of an exchanged token', () => {
    const state = activeTokensProjection.evolve(
      null,
      ev(TokenEvents.accessTokenIssued, { ...issued, act: { sub: 'x' } }),
    );
    expect(state?.act).toEqual({ sub: 'x' });
  });

  it('refresh_families: started, then revoked, keyed by family id', () => {
    const p = refreshFamiliesProjection;
    const started = p.evolve(null, ev(TokenEvents.refreshFamilyStarted, { familyId: 'f1' }));
    expect(started).toEqual({ familyId: 'f1', revoked: false });
    const revoked = ev(TokenEvents.refreshFamilyRevoked, { familyId: 'f1', accessTokenHandles: ['h1'] });
    expect(p.keyOf(revoked)).toBe('f1');
    expect(p.evolve(started, revoked)).toEqual({ familyId: 'f1', revoked: true });
    expect(p.streamsOf?.('f1')).toEqual(['refreshfamily-f1']);
  });
});
