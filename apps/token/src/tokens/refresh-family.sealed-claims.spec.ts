import type { RecordedEvent } from '@tessera/event-store';
import { decideRefreshFamily, refreshFamilyFrom } from './refresh-family.decider';

// DESIGN §2: a family's claims travel sealed under its current refresh token; each rotation reseals them
// under the successor, so the state always holds the seal the presented (current) token opens.
const meta = { now: new Date('2030-01-01T00:00:00Z'), actor: 'client:rp-1' };
const seal = (n: number) => ({ iv: `iv${n}`, ct: `ct${n}`, tag: `tag${n}` });
const recorded = (events: { type: string; data: Record<string, unknown> }[]) =>
  events.map((e, i) => ({ ...e, streamVersion: i + 1 }) as unknown as RecordedEvent);

describe('refresh family sealed claims', () => {
  const started = decideRefreshFamily(
    null,
    {
      type: 'StartRefreshFamily',
      data: {
        familyId: 'f1',
        clientId: 'rp-1',
        sub: 'user-1',
        scope: 'openid orders_read',
        aud: ['https://issuer.example'],
        refreshHandle: 'rt-1',
        accessTokenHandle: 'at-1',
        expiresAt: '2030-02-01T00:00:00Z',
        consentId: 'consent-1',
        sealedClaims: seal(1),
      },
    },
    meta,
  );

  it('keeps the seal of the current token and the consent', () => {
    expect(refreshFamilyFrom(recorded(started))).toMatchObject({ sealedClaims: seal(1), consentId: 'consent-1' });
  });

  it('carries the successor’s seal in the rotation, and only that one', () => {
    const state = refreshFamilyFrom(recorded(started));
    const rotated = decideRefreshFamily(
      state,
      {
        type: 'RotateRefreshToken',
        presentedHandle: 'rt-1',
        clientId: 'rp-1',
        refreshHandle: 'rt-2',
        accessTokenHandle: 'at-2',
        sealedClaims: seal(2),
      },
      meta,
    );
    expect(rotated[0].data.sealedClaims).toEqual(seal(2));
    expect(refreshFamilyFrom(recorded([...started, ...rotated]))?.sealedClaims).toEqual(seal(2));
  });

  it('has no seal when the family carries no claims', () => {
    const plain = started.map((e) => ({ ...e, data: { ...e.data, sealedClaims: undefined } }));
    expect(refreshFamilyFrom(recorded(plain))?.sealedClaims).toBeUndefined();
  });
});
