import { planAppend } from './append-plan';
import { DuplicateEventError } from './errors';

const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';

describe('planAppend', () => {
  it('serialises requests and events with 1-based numbering, defaults and lower-cased ids', () => {
    const [chunk] = planAppend([
      { streamId: 'a-1', expectedVersion: 0, events: [{ id: ID1.toUpperCase(), type: 'a.x', data: { n: 1 } }] },
      {
        streamId: 'b-1',
        expectedVersion: 'any',
        events: [{ id: ID2, type: 'b.y', schemaVersion: 3, data: {}, metadata: { actor: 'system' } }],
      },
    ]);
    expect(JSON.parse(chunk.requestsJson)).toEqual([
      { r: 1, s: 'a-1', x: 0 },
      { r: 2, s: 'b-1', x: null },
    ]);
    expect(JSON.parse(chunk.eventsJson)).toEqual([
      { r: 1, k: 1, id: ID1, t: 'a.x', v: 1, d: { n: 1 }, m: {} },
      { r: 2, k: 1, id: ID2, t: 'b.y', v: 3, d: {}, m: { actor: 'system' } },
    ]);
    expect(chunk.eventIds).toEqual([[ID1], [ID2]]);
    expect(chunk.anyStreams).toEqual(['b-1']);
  });

  it('starts a new chunk when a stream repeats, so the second request sees the first', () => {
    const chunks = planAppend([
      { streamId: 'a', expectedVersion: 0, events: [{ type: 't', data: {} }] },
      { streamId: 'b', expectedVersion: 0, events: [{ type: 't', data: {} }] },
      { streamId: 'a', expectedVersion: 1, events: [{ type: 't', data: {} }] },
    ]);
    expect(chunks.map((c) => c.indexes)).toEqual([[0, 1], [2]]);
  });

  it('puts guards (requests without events) of one stream in one chunk, but never beside a write to it', () => {
    const guard = (x: number) => ({ streamId: 'scope-a', expectedVersion: x, events: [] });
    const chunks = planAppend([
      { streamId: 't1', expectedVersion: 0, events: [{ type: 't', data: {} }] },
      guard(2),
      { streamId: 't2', expectedVersion: 0, events: [{ type: 't', data: {} }] },
      guard(2),
      { streamId: 'scope-a', expectedVersion: 2, events: [{ type: 't', data: {} }] },
      guard(3),
    ]);
    expect(chunks.map((c) => c.indexes)).toEqual([[0, 1, 2, 3], [4], [5]]);
    expect(JSON.parse(chunks[0].eventsJson).map((e: { r: number }) => e.r)).toEqual([1, 3]);
  });

  it('generates ids when absent', () => {
    let n = 0;
    const [chunk] = planAppend(
      [{ streamId: 'a', expectedVersion: 0, events: [{ type: 't', data: {} }] }],
      () => `00000000-0000-4000-8000-00000000000${++n}`,
    );
    expect(chunk.eventIds).toEqual([['00000000-0000-4000-8000-000000000001']]);
  });

  it('rejects one id twice in a batch, bad ids and bad expected versions', () => {
    const e = { id: ID1, type: 't', data: {} };
    expect(() =>
      planAppend([
        { streamId: 'a', expectedVersion: 0, events: [e] },
        { streamId: 'b', expectedVersion: 0, events: [e] },
      ]),
    ).toThrow(DuplicateEventError);
    expect(() => planAppend([{ streamId: 'a', expectedVersion: 0, events: [{ ...e, id: 'nope' }] }])).toThrow(/UUID/);
    expect(() => planAppend([{ streamId: 'a', expectedVersion: -1, events: [e] }])).toThrow(/expectedVersion/);
    expect(() => planAppend([{ streamId: 'a', expectedVersion: 1.5, events: [e] }])).toThrow(/expectedVersion/);
    expect(() => planAppend([{ streamId: '', expectedVersion: 0, events: [e] }])).toThrow(/streamId/);
  });
});
