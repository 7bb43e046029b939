import type { LogCursor, RecordedEvent } from '@tessera/event-store';
import { RoundReads } from './round-reads';

const at = (position: number): LogCursor => ({ transactionId: '7', position });
const event = (position: number) => ({ position, transactionId: '7' }) as RecordedEvent;

describe('RoundReads', () => {
  it('reads the log once per cursor and limit in a round; another cursor or limit reads again', async () => {
    const readAll = jest.fn(async (cursor: LogCursor, limit: number) =>
      [event(cursor.position + 1), event(cursor.position + 2)].slice(0, limit),
    );
    const reads = new RoundReads({ readAll });
    const first = await reads.readAll(at(10), 500);
    const second = await reads.readAll(at(10), 500);
    expect(second).toBe(first);
    expect(readAll).toHaveBeenCalledTimes(1);
    expect(await reads.readAll(at(11), 500)).toEqual([event(12), event(13)]);
    expect(await reads.readAll(at(10), 1)).toEqual([event(11)]);
    expect(readAll).toHaveBeenCalledTimes(3);
  });

  it('does not keep a failed read: the next projection reads again', async () => {
    const readAll = jest
      .fn<Promise<RecordedEvent[]>, [LogCursor, number]>()
      .mockRejectedValueOnce(new Error('transaction aborted'))
      .mockResolvedValueOnce([event(11)]);
    const reads = new RoundReads({ readAll });
    await expect(reads.readAll(at(10), 500)).rejects.toThrow('transaction aborted');
    expect(await reads.readAll(at(10), 500)).toEqual([event(11)]);
    expect(readAll).toHaveBeenCalledTimes(2);
  });
});
