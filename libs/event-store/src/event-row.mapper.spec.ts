import { compareCursors, toRecordedEvent, toXid8Text, type EventRow } from './event-row.mapper';
import { parseInt8, toSafeInteger } from './int8';

const base: Omit<EventRow, 'position' | 'transaction_id' | 'stream_version' | 'schema_version' | 'recorded_at'> = {
  stream_id: 'user-1',
  event_id: '7b0c6b5e-8d6e-4c3a-9f51-2d3c4b5a6e7f',
  type: 'user.registered',
  data: { email: 'x' },
  metadata: { actor: 'system' },
};

describe('toRecordedEvent', () => {
  it('maps a pg row (bigint as string, timestamptz as Date)', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const e = toRecordedEvent({
      ...base,
      position: '42',
      transaction_id: '987654321',
      stream_version: 3,
      schema_version: 2,
      recorded_at: at,
    });
    expect(e).toEqual({
      position: 42,
      transactionId: '987654321',
      streamId: 'user-1',
      streamVersion: 3,
      id: base.event_id,
      type: 'user.registered',
      schemaVersion: 2,
      data: { email: 'x' },
      metadata: { actor: 'system' },
      recordedAt: at,
    });
  });

  it('maps a PGlite row (bigint as number or bigint, json as text) to the same shape', () => {
    const fromPglite = toRecordedEvent({
      ...base,
      position: 42n,
      transaction_id: 987654321,
      stream_version: 3,
      schema_version: 2,
      data: '{"email":"x"}',
      metadata: null,
      recorded_at: '2026-01-02T03:04:05.678Z',
    });
    expect(fromPglite.position).toBe(42);
    expect(fromPglite.transactionId).toBe('987654321');
    expect(fromPglite.data).toEqual({ email: 'x' });
    expect(fromPglite.metadata).toEqual({});
    expect(fromPglite.recordedAt).toEqual(new Date('2026-01-02T03:04:05.678Z'));
  });

  it('refuses positions a JS number cannot hold and malformed timestamps', () => {
    const row = { ...base, transaction_id: '1', stream_version: 1, schema_version: 1, recorded_at: new Date() };
    expect(() => toRecordedEvent({ ...row, position: '9007199254740993' })).toThrow(/safe integer/);
    expect(() => toRecordedEvent({ ...row, position: 2n ** 60n })).toThrow(/MAX_SAFE_INTEGER|safe integer/);
    expect(() => toRecordedEvent({ ...row, position: 1, recorded_at: 'yesterday' })).toThrow(/timestamp/);
  });
});

describe('int8 helpers', () => {
  it('toSafeInteger accepts strings, numbers and bigints and rejects the rest', () => {
    expect(toSafeInteger('17')).toBe(17);
    expect(toSafeInteger(17)).toBe(17);
    expect(toSafeInteger(17n)).toBe(17);
    expect(() => toSafeInteger('1.5')).toThrow();
    expect(() => toSafeInteger(null)).toThrow();
    expect(() => toSafeInteger('abc')).toThrow();
  });

  it('parseInt8 (pg) gives a number when exact, a bigint beyond 2^53, like PGlite', () => {
    expect(parseInt8('123')).toBe(123);
    expect(parseInt8('-5')).toBe(-5);
    expect(parseInt8('9007199254740993')).toBe(9007199254740993n);
  });
});

describe('cursors', () => {
  it('compares by transaction id numerically (not as text), then position', () => {
    expect(compareCursors({ transactionId: '9', position: 100 }, { transactionId: '10', position: 1 })).toBeLessThan(0);
    expect(compareCursors({ transactionId: '10', position: 2 }, { transactionId: '10', position: 1 })).toBeGreaterThan(
      0,
    );
    expect(compareCursors({ transactionId: '10', position: 1 }, { transactionId: '10', position: 1 })).toBe(0);
  });

  it('toXid8Text rejects what is not an unsigned integer', () => {
    expect(toXid8Text(12n)).toBe('12');
    expect(toXid8Text('12')).toBe('12');
    expect(() => toXid8Text('12; DROP TABLE x')).toThrow();
    expect(() => toXid8Text(-1)).toThrow();
  });
});
