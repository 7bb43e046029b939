import type { AuditRecord } from '@tessera/contracts';
import { chainHash, type ChainLink, ChainWalk, GENESIS_HASH } from './audit-chain';
import { canonicalJson } from './canonical-json';

function record(seq: number): AuditRecord {
  return {
    seq,
    eventId: `e${seq}`,
    position: seq * 10,
    time: `2026-11-29T10:00:0${seq % 10}.000Z`,
    action: 'access-token.issued',
    actor: { kind: 'client', id: 'c' },
    subject: 'u',
    clientId: 'c',
    target: { stream: `accesstoken-h${seq}`, ids: { handle: `h${seq}` } },
    outcome: 'success',
  };
}

function chain(n: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const r = record(seq);
    const hash = chainHash(prev, r);
    links.push({ seq, record: r, prevHash: prev, hash });
    prev = hash;
  }
  return links;
}

function walk(links: ChainLink[]) {
  const w = new ChainWalk();
  for (const l of links) if (w.push(l)) break;
  return w.firstBroken;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('is independent of member order (jsonb reorders keys)', () => {
    const r = record(1);
    const reordered = Object.fromEntries(Object.entries(r).reverse()) as unknown as AuditRecord;
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, r));
  });
});

describe('ChainWalk', () => {
  it('verifies an intact chain', () => {
    const w = new ChainWalk();
    for (const l of chain(5)) expect(w.push(l)).toBeNull();
    expect(w.verified).toBe(5);
    expect(w.head.hash).toBe(chain(5)[4].hash);
  });

  it('each hash covers the previous one', () => {
    const [a, b] = chain(2);
    expect(b.prevHash).toBe(a.hash);
    expect(chainHash('f'.repeat(64), b.record)).not.toBe(b.hash);
  });

  it('names a modified record as the first broken link', () => {
    const links = chain(5);
    links[2] = { ...links[2], record: { ...links[2].record, clientId: 'evil' } };
    expect(walk(links)).toEqual({ seq: 3, reason: 'hash mismatch: the record was modified' });
  });

  it.each([1.5, 2 ** 60, 1e300])(
    'names a record edited to hold the number %p (no canonical form) without throwing',
    (n) => {
      const links = chain(5);
      links[2] = { ...links[2], record: { ...links[2].record, position: n } };
      expect(() => canonicalJson(links[2].record)).toThrow();
      expect(walk(links)).toEqual({ seq: 3, reason: 'hash mismatch: the record was modified' });
    },
  );

  it('names a record edited into a non-object without throwing', () => {
    const links = chain(3);
    links[1] = { ...links[1], record: null as unknown as AuditRecord };
    expect(walk(links)).toEqual({ seq: 2, reason: 'out of order: record undefined is stored at 2' });
  });

  it('names a deleted record as the first broken link', () => {
    const links = chain(5);
    links.splice(1, 1);
    expect(walk(links)).toEqual({ seq: 2, reason: 'record 2 missing: the next stored record is 3' });
  });

  it('names a reordered pair (seq columns swapped) as the first broken link', () => {
    const links = chain(5);
    const [third, fourth] = [links[2], links[3]];
    links[2] = { ...fourth, seq: 3 };
    links[3] = { ...third, seq: 4 };
    expect(walk(links)).toEqual({ seq: 3, reason: 'out of order: record 4 is stored at 3' });
  });

  it('names a reordered pair re-numbered inside the records too, by its broken link', () => {
    const links = chain(5);
    const renumber = (l: ChainLink, seq: number): ChainLink => ({ ...l, seq, record: { ...l.record, seq } });
    const [third, fourth] = [links[2], links[3]];
    links[2] = renumber(fourth, 3);
    links[3] = renumber(third, 4);
    expect(walk(links)?.seq).toBe(3);
    expect(walk(links)?.reason).toMatch(/previous-hash link broken/);
  });

  it('a modified record with a recomputed hash is named at the next link', () => {
    const links = chain(4);
    // Record 2 rewritten with a matching hash: 3 still chains to the old one. (Re-chaining every
    // later record too is caught by the signed checkpoint that covers them: see the int-spec.)
    const forged = { ...links[1].record, subject: 'someone-else' };
    const hash2 = chainHash(links[0].hash, forged);
    links[1] = { ...links[1], record: forged, hash: hash2 };
    expect(walk(links)).toEqual({ seq: 3, reason: expect.stringMatching(/previous-hash link broken/) });
  });

  it('starts at a pruned anchor without the previous record', () => {
    const links = chain(6).slice(3);
    const w = new ChainWalk({ seq: 4 });
    for (const l of links) expect(w.push(l)).toBeNull();
    expect(w.verified).toBe(3);
  });
});
