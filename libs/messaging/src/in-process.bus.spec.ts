import type { CloudEvent } from './cloud-event';
import { InProcessBus } from './in-process.bus';

function ce(id: string, subject = 's-1'): CloudEvent {
  return {
    specversion: '1.0',
    id,
    source: 'urn:test',
    type: 'test.happened',
    subject,
    time: new Date(0).toISOString(),
    datacontenttype: 'application/json',
    data: { n: id },
  };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('InProcessBus', () => {
  let bus: InProcessBus;
  beforeEach(() => {
    bus = new InProcessBus({ redeliveryDelayMs: 10 });
  });
  afterEach(() => bus.close());

  it('delivers asynchronously, in publish order', async () => {
    const got: string[] = [];
    await bus.subscribe('t', { groupId: 'g' }, async (e) => {
      got.push(e.id);
    });
    await bus.publish('t', [
      { key: 'a', value: ce('1') },
      { key: 'b', value: ce('2') },
    ]);
    expect(got).toEqual([]); // not synchronously inside publish
    await bus.publish('t', [{ key: 'a', value: ce('3') }]);
    await until(() => got.length === 3);
    expect(got).toEqual(['1', '2', '3']);
  });

  it('gives each group every message once, and one delivery per group', async () => {
    const a: string[] = [];
    const b1: string[] = [];
    const b2: string[] = [];
    await bus.subscribe('t', { groupId: 'a' }, async (e) => void a.push(e.id));
    await bus.subscribe('t', { groupId: 'b' }, async (e) => void b1.push(e.id));
    await bus.subscribe('t', { groupId: 'b' }, async (e) => void b2.push(e.id));
    await bus.publish(
      't',
      ['1', '2', '3', '4'].map((id) => ({ key: id, value: ce(id) })),
    );
    await until(() => a.length === 4 && b1.length + b2.length === 4);
    await new Promise((r) => setTimeout(r, 20));
    expect(a).toEqual(['1', '2', '3', '4']);
    expect([...b1, ...b2].sort()).toEqual(['1', '2', '3', '4']);
  });

  it('honours fromBeginning for a new group and starts at the end otherwise', async () => {
    await bus.publish('t', [{ key: 'k', value: ce('old') }]);
    const early: string[] = [];
    const late: string[] = [];
    await bus.subscribe('t', { groupId: 'early', fromBeginning: true }, async (e) => void early.push(e.id));
    await bus.subscribe('t', { groupId: 'late' }, async (e) => void late.push(e.id));
    await bus.publish('t', [{ key: 'k', value: ce('new') }]);
    await until(() => early.length === 2 && late.length === 1);
    expect(early).toEqual(['old', 'new']);
    expect(late).toEqual(['new']);
  });

  it('keeps a group offset across subscriptions (like a committed offset)', async () => {
    const first: string[] = [];
    const sub = await bus.subscribe('t', { groupId: 'g', fromBeginning: true }, async (e) => void first.push(e.id));
    await bus.publish('t', [{ key: 'k', value: ce('1') }]);
    await until(() => first.length === 1);
    await sub.stop();
    await bus.publish('t', [{ key: 'k', value: ce('2') }]);
    const second: string[] = [];
    await bus.subscribe('t', { groupId: 'g', fromBeginning: true }, async (e) => void second.push(e.id));
    await until(() => second.length === 1);
    expect(second).toEqual(['2']);
  });

  it('redelivers a message whose handler threw, without skipping ahead', async () => {
    const seen: string[] = [];
    let failures = 2;
    await bus.subscribe('t', { groupId: 'g' }, async (e) => {
      seen.push(e.id);
      if (e.id === '1' && failures-- > 0) throw new Error('boom');
    });
    await bus.publish('t', [
      { key: 'k', value: ce('1') },
      { key: 'k', value: ce('2') },
    ]);
    await until(() => seen.includes('2'));
    expect(seen).toEqual(['1', '1', '1', '2']);
  });

  it('hands consumers a copy, never the producer object', async () => {
    const original = ce('1');
    let received: CloudEvent | undefined;
    await bus.subscribe('t', { groupId: 'g' }, async (e) => {
      received = e;
    });
    await bus.publish('t', [{ key: 'k', value: original }]);
    await until(() => received !== undefined);
    expect(received).toEqual(original);
    expect(received).not.toBe(original);
  });

  it('reports healthy until closed, and refuses to publish after close', async () => {
    expect(await bus.isHealthy()).toBe(true);
    await bus.close();
    expect(await bus.isHealthy()).toBe(false);
    await expect(bus.publish('t', [{ key: 'k', value: ce('1') }])).rejects.toThrow(/closed/);
  });
});
