import type { IssuedTokenRow } from './active-tokens.projection';
import { HotTokenCache } from './hot-token.cache';
import type { LoadedToken } from './loaded-token';

const EXP_MS = 2_000_000_000_000;
const token = (revoked = false): LoadedToken => ({
  row: {
    handle: 'h',
    clientId: 'c',
    sub: 's',
    scope: '',
    aud: ['a'],
    format: 'reference',
    jti: 'j',
    issuedAt: new Date(EXP_MS - 900_000).toISOString(),
    expiresAt: new Date(EXP_MS).toISOString(),
    revoked,
  } satisfies IssuedTokenRow,
  familyRevoked: false,
});
const options = { maxEntries: 2, revalidateAfterMs: 2_000, maxRevoked: 2, revokedMemoryMs: 60_000 };
const t0 = EXP_MS - 100_000;

describe('HotTokenCache', () => {
  it('serves a cached token until it must be read again (≤ 2 s)', () => {
    const cache = new HotTokenCache(options);
    cache.remember('h1', token(), t0);
    expect(cache.fresh('h1', t0 + 1_999)).not.toBeNull();
    expect(cache.fresh('h1', t0 + 2_000)).toBeNull();
  });

  it('evicts the least recently used beyond its bound', () => {
    const cache = new HotTokenCache(options);
    cache.remember('h1', token(), t0);
    cache.remember('h2', token(), t0);
    cache.fresh('h1', t0);
    cache.remember('h3', token(), t0);
    expect(cache.fresh('h2', t0)).toBeNull();
    expect(cache.fresh('h1', t0)).not.toBeNull();
    expect(cache.size.tokens).toBe(2);
  });

  it('evicts revoked handles and remembers them until the token would expire', () => {
    const cache = new HotTokenCache(options);
    cache.remember('h1', token(), t0);
    cache.revoke(['h1'], t0);
    expect(cache.fresh('h1', t0)).toBeNull();
    expect(cache.isRevoked('h1', EXP_MS - 1)).toBe(true);
    expect(cache.isRevoked('h1', EXP_MS)).toBe(false);
  });

  it('remembers an uncached revoked handle for the longest token lifetime, within its bound', () => {
    const cache = new HotTokenCache(options);
    cache.revoke(['x', 'y', 'z'], t0);
    expect(cache.size.revoked).toBe(2);
    expect(cache.isRevoked('z', t0 + 59_999)).toBe(true);
    expect(cache.isRevoked('z', t0 + 60_000)).toBe(false);
  });

  it('keeps a token the read model says is revoked among the revoked, not the cached', () => {
    const cache = new HotTokenCache(options);
    cache.remember('h1', token(true), t0);
    expect(cache.fresh('h1', t0)).toBeNull();
    expect(cache.isRevoked('h1', t0)).toBe(true);
  });
});
