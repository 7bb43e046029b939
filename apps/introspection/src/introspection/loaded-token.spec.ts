import { sealWithToken } from '@tessera/keys';
import type { IssuedTokenRow } from './active-tokens.projection';
import { activeToken as activeTokenOf, type LoadedToken } from './loaded-token';

const iat = 1_900_000_000;
const row = (over: Partial<IssuedTokenRow> = {}): IssuedTokenRow => ({
  handle: 'h1',
  clientId: 'client-a',
  sub: 'user-1',
  scope: 'orders_read',
  aud: ['https://api.example'],
  format: 'reference',
  jti: 'jti-1',
  issuedAt: new Date(iat * 1000).toISOString(),
  expiresAt: new Date((iat + 900) * 1000).toISOString(),
  revoked: false,
  ...over,
});
const loaded = (over: Partial<IssuedTokenRow> = {}, familyRevoked = false): LoadedToken => ({
  row: row(over),
  familyRevoked,
});

const VALUE = 'tsr_at_presented';
const activeToken = (token: LoadedToken, now: number) => activeTokenOf(token, now, VALUE);
const sealed = (claims: Record<string, unknown>, value = VALUE) => sealWithToken(value, 'access-token.claims', claims);

describe('activeToken (RFC 7662 §2.2 active)', () => {
  it('is the issuance facts of a live token, times in seconds, with the claims opened by the presented value', () => {
    expect(activeToken(loaded({ sealedClaims: sealed({ account_nr: '42' }), familyId: 'f1' }), iat + 1)).toEqual({
      handle: 'h1',
      clientId: 'client-a',
      sub: 'user-1',
      scope: 'orders_read',
      aud: ['https://api.example'],
      format: 'reference',
      jti: 'jti-1',
      iat,
      exp: iat + 900,
      claims: { account_nr: '42' },
      familyId: 'f1',
    });
  });

  it('releases no claims when none were sealed', () => {
    expect(activeToken(loaded(), iat)?.claims).toEqual({});
  });

  it('is inactive when its sealed claims do not open with the presented value (DESIGN §2)', () => {
    expect(activeToken(loaded({ sealedClaims: sealed({ account_nr: '42' }, 'tsr_at_other') }), iat)).toBeNull();
  });

  it('carries act when the token was exchanged', () => {
    expect(activeToken(loaded({ act: { sub: 'svc-b' } }), iat)?.act).toEqual({ sub: 'svc-b' });
  });

  it('is inactive once expired (exp is exclusive)', () => {
    expect(activeToken(loaded(), iat + 899)).not.toBeNull();
    expect(activeToken(loaded(), iat + 900)).toBeNull();
    expect(activeToken(loaded(), iat + 10_000)).toBeNull();
  });

  it('is inactive when revoked on its own', () => {
    expect(activeToken(loaded({ revoked: true }), iat)).toBeNull();
  });

  it('is inactive when its refresh family was revoked', () => {
    expect(activeToken(loaded({ familyId: 'f1' }, true), iat)).toBeNull();
  });

  it('is inactive when its times are unreadable', () => {
    expect(activeToken(loaded({ expiresAt: 'not a date' }), iat)).toBeNull();
  });
});
