import { DEFAULT_THROTTLE_POLICY, LoginThrottle } from './login-throttle';

const T0 = new Date('2026-11-29T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('LoginThrottle (issue 5 §5)', () => {
  it('delays progressively, then locks the account after 5 failures, for 15 minutes', () => {
    const t = new LoginThrottle();
    expect(t.assess('alice', '10.0.0.1', T0)).toEqual({ delayMs: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      t.recordFailure('alice', '10.0.0.1', at(i));
      delays.push(t.assess('alice', '10.0.0.1', at(i)).delayMs);
    }
    expect(delays).toEqual([250, 500, 1000, 2000]);
    t.recordFailure('alice', '10.0.0.1', at(5));
    // Locked from any address, not for other accounts from another address.
    expect(t.assess('alice', '10.9.9.9', at(6)).lockedUntil).toEqual(at(5 + 15 * 60_000));
    expect(t.assess('bob', '10.9.9.9', at(6)).lockedUntil).toBeUndefined();
    expect(t.assess('alice', '10.9.9.9', at(5 + 15 * 60_000)).lockedUntil).toBeUndefined();
  });

  it('locks an address that fails across many accounts', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < DEFAULT_THROTTLE_POLICY.address.maxFailures; i++) {
      t.recordFailure(`user${i}`, '10.0.0.2', at(i));
    }
    expect(t.assess('someone-new', '10.0.0.2', at(100)).lockedUntil).toBeDefined();
    expect(t.assess('someone-new', '10.0.0.3', at(100)).lockedUntil).toBeUndefined();
  });

  it('forgets failures outside the window, and clears the account on success', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 4; i++) t.recordFailure('carol', '10.0.0.4', at(i));
    expect(t.assess('carol', '10.0.0.4', at(16 * 60_000)).delayMs).toBe(0);
    for (let i = 0; i < 4; i++) t.recordFailure('dave', '10.0.0.5', at(i));
    t.recordSuccess('dave');
    t.recordFailure('dave', '10.0.0.5', at(10));
    expect(t.assess('dave', '10.0.0.6', at(11)).lockedUntil).toBeUndefined();
  });

  it('treats an unknown account name exactly like a known one (keys are just names)', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 5; i++) t.recordFailure('no-such-user', '10.0.0.7', at(i));
    expect(t.assess('no-such-user', '10.0.0.8', at(10)).lockedUntil).toBeDefined();
  });

  it('bounds memory: the oldest keys go first', () => {
    const t = new LoginThrottle({ ...DEFAULT_THROTTLE_POLICY, maxKeys: 2 });
    t.recordFailure('a', 'x', T0);
    t.recordFailure('b', 'y', T0);
    t.recordFailure('c', 'z', T0);
    expect(t.assess('a', 'q', T0).delayMs).toBe(0);
    expect(t.assess('c', 'q', T0).delayMs).toBe(250);
  });
});
