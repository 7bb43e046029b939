import { WakeSignal } from './wake-signal';

const elapsed = async (fn: () => Promise<void>): Promise<number> => {
  const start = Date.now();
  await fn();
  return Date.now() - start;
};

describe('WakeSignal', () => {
  it('sleeps the full time when nobody wakes it', async () => {
    expect(await elapsed(() => new WakeSignal().sleep(40))).toBeGreaterThanOrEqual(35);
  });

  it('ends a running sleep on wake', async () => {
    const signal = new WakeSignal();
    setTimeout(() => signal.wake(), 10);
    expect(await elapsed(() => signal.sleep(5_000))).toBeLessThan(1_000);
  });

  it('keeps a wake-up that came while awake for the next sleep, once', async () => {
    const signal = new WakeSignal();
    signal.wake();
    expect(await elapsed(() => signal.sleep(5_000))).toBeLessThan(50);
    expect(await elapsed(() => signal.sleep(40))).toBeGreaterThanOrEqual(35);
  });

  it('does not let a kept wake-up skip a backoff, and keeps it for after', async () => {
    const signal = new WakeSignal();
    signal.wake();
    expect(await elapsed(() => signal.sleep(40, false))).toBeGreaterThanOrEqual(35);
    expect(await elapsed(() => signal.sleep(5_000))).toBeLessThan(50);
  });
});
