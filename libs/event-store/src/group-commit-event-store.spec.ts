import type { Sql } from './database';
import { ConcurrencyError } from './errors';
import type { EventStore } from './event-store';
import type { AppendRequest, AppendResult } from './events';
import { GroupCommitEventStore } from './group-commit-event-store';

/**
 * An in-memory store with appendMany's all-or-nothing contract; each call
 * waits for `release()` so a test decides when a "commit" ends.
 */
class FakeStore {
  readonly calls: AppendRequest[][] = [];
  readonly versions = new Map<string, number>();
  private gates: (() => void)[] = [];
  position = 0;
  /** Most appendMany calls waiting for their commit at one time. */
  maxInFlight = 0;

  async appendMany(requests: readonly AppendRequest[], tx?: Sql): Promise<AppendResult[]> {
    this.calls.push([...requests]);
    if (!tx) {
      const waiting = new Promise<void>((r) => this.gates.push(r));
      this.maxInFlight = Math.max(this.maxInFlight, this.gates.length);
      await waiting;
    }
    const next = new Map(this.versions);
    const results = requests.map((r) => {
      const current = next.get(r.streamId) ?? 0;
      if (r.events.some((e) => e.type === 'boom')) throw new Error(`boom in ${r.streamId}`);
      if (r.expectedVersion !== 'any' && r.expectedVersion !== current) {
        throw new ConcurrencyError(r.streamId, r.expectedVersion, current);
      }
      next.set(r.streamId, current + r.events.length);
      return { streamId: r.streamId, nextExpectedVersion: current + r.events.length, positions: [] as number[] };
    });
    // All or nothing: versions change only when every request passed.
    for (const [k, v] of next) this.versions.set(k, v);
    results.forEach((r) => (r.positions = r.nextExpectedVersion > 0 ? [++this.position] : []));
    return results;
  }

  /** Lets every waiting appendMany finish; resolves once they settled. */
  async release(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const gates = this.gates;
      this.gates = [];
      gates.forEach((g) => g());
      await new Promise((r) => setImmediate(r));
    }
  }
}

const ev = (type = 'x') => ({ type, data: {} });
const req = (streamId: string, expectedVersion: number | 'any', type?: string): AppendRequest => ({
  streamId,
  expectedVersion,
  events: [ev(type)],
});

function setup(maxBatchRequests?: number) {
  const fake = new FakeStore();
  const store = new GroupCommitEventStore(fake as unknown as EventStore, { maxBatchRequests });
  return { fake, store };
}

describe('GroupCommitEventStore', () => {
  it('commits a lone append at once, and merges appends arriving meanwhile into one appendMany in arrival order', async () => {
    const { fake, store } = setup();
    const first = store.append('a', 0, [ev()]);
    await new Promise((r) => setImmediate(r));
    expect(fake.calls).toHaveLength(1);
    const later = [
      store.append('b', 0, [ev()]),
      store.appendMany([req('c', 0), req('d', 0)]),
      store.append('e', 0, [ev()]),
    ] as const;
    await new Promise((r) => setImmediate(r));
    expect(fake.calls).toHaveLength(1); // queued behind the running commit
    await fake.release();
    expect((await first).streamId).toBe('a');
    const [b, cd, e] = await Promise.all(later);
    expect(fake.calls.map((c) => c.map((r) => r.streamId))).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    expect(b).toEqual(expect.objectContaining({ streamId: 'b', nextExpectedVersion: 1 }));
    expect(cd.map((r) => r.streamId)).toEqual(['c', 'd']);
    expect(e.streamId).toBe('e');
  });

  it('answers only after the commit ended', async () => {
    const { fake, store } = setup();
    let done = false;
    const p = store.append('a', 0, [ev()]).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    await fake.release();
    await p;
    expect(done).toBe(true);
  });

  it('re-runs each caller alone when a merged batch fails: only the conflicting caller gets the ConcurrencyError', async () => {
    const { fake, store } = setup();
    fake.versions.set('taken', 3);
    const blocker = store.append('first', 0, [ev()]);
    await new Promise((r) => setImmediate(r));
    const ok1 = store.append('s1', 0, [ev()]);
    const bad = store.append('taken', 1, [ev()]);
    const ok2 = store.appendMany([req('s2', 0), req('s3', 'any')]);
    const broken = store.append('s4', 0, [ev('boom')]);
    const settled = Promise.allSettled([blocker, ok1, bad, ok2, broken]);
    await fake.release();
    const [r0, r1, r2, r3, r4] = await settled;
    expect(r0.status).toBe('fulfilled');
    expect(r1).toEqual({
      status: 'fulfilled',
      value: expect.objectContaining({ streamId: 's1', nextExpectedVersion: 1 }),
    });
    expect(r2.status).toBe('rejected');
    expect((r2 as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(r3.status).toBe('fulfilled');
    expect((r3 as PromiseFulfilledResult<AppendResult[]>).value.map((r) => r.streamId)).toEqual(['s2', 's3']);
    expect((r4 as PromiseRejectedResult).reason).toEqual(new Error('boom in s4'));
    // merged attempt, then one call per caller; nothing appended twice
    expect(fake.calls.map((c) => c.map((r) => r.streamId))).toEqual([
      ['first'],
      ['s1', 'taken', 's2', 's3', 's4'],
      ['s1'],
      ['taken'],
      ['s2', 's3'],
      ['s4'],
    ]);
    expect(Object.fromEntries(fake.versions)).toEqual({ first: 1, taken: 3, s1: 1, s2: 1, s3: 1 });
  });

  it('keeps arrival order between requests on one stream when re-running them alone', async () => {
    const { fake, store } = setup();
    const blocker = store.append('first', 0, [ev()]);
    await new Promise((r) => setImmediate(r));
    const one = store.append('s', 0, [ev()]);
    const two = store.append('s', 1, [ev()]); // expects the version `one` produces
    const bad = store.append('other', 7, [ev()]); // fails the merged batch
    const settled = Promise.allSettled([blocker, one, two, bad]);
    await fake.release();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(fake.versions.get('s')).toBe(2);
  });

  it('re-runs callers that only guard a shared stream (no events on it) concurrently, not one by one', async () => {
    const { fake, store } = setup();
    fake.versions.set('scope-read', 2);
    const blocker = store.append('first', 0, [ev()]);
    await new Promise((r) => setImmediate(r));
    const guard = (version: number) => ({ streamId: 'scope-read', expectedVersion: version, events: [] });
    const callers = [0, 1, 2, 3].map((i) => store.appendMany([req(`t${i}`, 0), guard(i === 3 ? 1 : 2)]));
    const settled = Promise.allSettled([blocker, ...callers]);
    await fake.release();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((results[4] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(fake.maxInFlight).toBe(4); // the four re-runs waited for their commits together
    expect(fake.versions.get('scope-read')).toBe(2);
  });

  it('caps a batch by the number of requests, never splitting one caller', async () => {
    const { fake, store } = setup(3);
    const blocker = store.append('first', 0, [ev()]);
    await new Promise((r) => setImmediate(r));
    const rest = [
      store.appendMany([req('a', 0), req('b', 0)]),
      store.append('c', 0, [ev()]),
      store.append('d', 0, [ev()]),
      store.appendMany([req('e', 0), req('f', 0), req('g', 0), req('h', 0)]),
    ];
    await fake.release();
    await Promise.all([blocker, ...rest]);
    expect(fake.calls.map((c) => c.map((r) => r.streamId))).toEqual([
      ['first'],
      ['a', 'b', 'c'],
      ['d'],
      ['e', 'f', 'g', 'h'],
    ]);
  });

  it('passes appends in a transaction straight through, and empty appends never reach the store', async () => {
    const { fake, store } = setup();
    const tx = {} as Sql;
    await expect(store.append('a', 0, [ev()], tx)).resolves.toEqual(expect.objectContaining({ streamId: 'a' }));
    await expect(store.appendMany([])).resolves.toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });
});
