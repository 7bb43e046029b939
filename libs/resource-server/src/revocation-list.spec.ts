import { REVOCATION_EVENT_TYPE } from './revocation-event';
import { RevocationList, tokenHandle } from './revocation-list';

/** A `tessera.revocation.v1` CloudEvent as the token service's relay publishes it. */
function revocationEvent(data: Record<string, unknown>) {
  return {
    specversion: '1.0',
    id: 'evt-1',
    source: 'urn:tessera:token',
    type: REVOCATION_EVENT_TYPE,
    subject: 'user-1',
    time: '2026-01-01T00:00:00.000Z',
    datacontenttype: 'application/json',
    data: { clientId: 'c', sub: 'user-1', reason: 'revoked', revokedAt: new Date().toISOString(), ...data },
  };
}

describe('RevocationList', () => {
  it('matches a token by the SHA-256 handle of its value', () => {
    const list = new RevocationList();
    expect(
      list.apply(revocationEvent({ handles: [tokenHandle('tsr_at_abc'), tokenHandle('header.payload.sig')] })),
    ).toBe(true);
    expect(list.revoked('header.payload.sig', { jti: 'j-unrelated' })).toBe(true);
    expect(list.revoked('tsr_at_abc')).toBe(true);
    expect(list.revoked('header.payload.other')).toBe(false);
  });

  it('matches an exchanged or phantom JWT by its `jti`, whatever its value', () => {
    const list = new RevocationList();
    list.apply(revocationEvent({ handles: [tokenHandle('the-opaque-token')], jtis: ['jti-exchanged'] }));
    expect(list.revoked('a.phantom.jwt', { jti: 'jti-exchanged' })).toBe(true);
    expect(list.revoked('a.phantom.jwt', { jti: 'jti-other' })).toBe(false);
  });

  it('matches a phantom JWT by the reference token handle in its `tsr_ref` claim', () => {
    const list = new RevocationList();
    list.apply(revocationEvent({ handles: [tokenHandle('tsr_at_reference')] }));
    expect(list.revoked('a.phantom.jwt', { jti: 'fresh', tsr_ref: tokenHandle('tsr_at_reference') })).toBe(true);
    expect(list.revoked('a.phantom.jwt', { jti: 'fresh', tsr_ref: tokenHandle('tsr_at_other') })).toBe(false);
  });

  it('skips other and malformed events', () => {
    const list = new RevocationList();
    expect(list.apply({ ...revocationEvent({ handles: ['h'] }), type: 'access-token.revoked' })).toBe(false);
    expect(list.apply(revocationEvent({ handles: 'h' }))).toBe(false);
    expect(list.apply(null)).toBe(false);
    expect(list.size).toBe(0);
  });

  it("keeps an entry until the token's expiry, learned from the token when it is presented", () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const list = new RevocationList({ now: () => now, retentionSeconds: 3600 });
    list.add({ handles: [], jtis: ['a', 'b'], revokedAtMs: now.getTime() });
    const exp = now.getTime() / 1000 + 300;
    expect(list.revoked('t', { jti: 'a', exp })).toBe(true);
    // Past `a`'s exp (plus the one-minute leeway), `a` is swept; `b`, whose exp is unknown, stays for the retention.
    now = new Date(now.getTime() + 361_000);
    list.add({ handles: ['h'], jtis: [] });
    expect(list.revoked('t', { jti: 'a' })).toBe(false);
    expect(list.revoked('t', { jti: 'b' })).toBe(true);
    now = new Date(now.getTime() + 3600_000);
    list.add({ handles: ['h2'], jtis: [] });
    expect(list.revoked('t', { jti: 'b' })).toBe(false);
  });

  it('keeps a reference handle for every phantom JWT minted from it, whatever the first one presented said', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const t0 = now.getTime() / 1000;
    const list = new RevocationList({ now: () => now, retentionSeconds: 3600 });
    const reference = tokenHandle('tsr_at_reference');
    list.add({ handles: [reference], jtis: [], revokedAtMs: now.getTime() });
    // The first phantom JWT for that reference token lives 120 s ...
    expect(list.revoked('first.phantom.jwt', { jti: 'j1', exp: t0 + 120, tsr_ref: reference })).toBe(true);
    // ... and after it (and its leeway) are gone, and a sweep ran, a later one minted for it is still refused.
    now = new Date(now.getTime() + 200_000);
    list.add({ handles: ['unrelated'], jtis: [] });
    expect(list.revoked('second.phantom.jwt', { jti: 'j2', exp: t0 + 320, tsr_ref: reference })).toBe(true);
  });

  it('uses the expiry an event carries, and ignores one already past', () => {
    const now = Date.now();
    const list = new RevocationList();
    list.add({ handles: [tokenHandle('gone')], jtis: [], expiresAtMs: now - 120_000 });
    list.add({ handles: [tokenHandle('live')], jtis: [], expiresAtMs: now + 60_000 });
    expect(list.revoked('gone')).toBe(false);
    expect(list.revoked('live')).toBe(true);
  });
});
