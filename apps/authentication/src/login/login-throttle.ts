/** Limits of one kind of key (an account or a source address). */
export interface ThrottleLimits {
  /** Failures counted over this window (ms). */
  windowMs: number;
  /** Failures in the window before the key is locked. */
  maxFailures: number;
  /** How long a lock lasts (ms). */
  lockMs: number;
}

/** The throttle's settings: per account and per source address (issue 5 §5). */
export interface ThrottlePolicy {
  account: ThrottleLimits;
  address: ThrottleLimits;
  /** Delay before answering, per failure already in the window: base × 2^(n-1), capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Keys kept per kind; the oldest are dropped beyond it (memory bound). */
  maxKeys: number;
}

/** Defaults: 5 failures per account or 30 per address in 15 min lock for 15 min; delays 250 ms … 4 s. */
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = Object.freeze({
  account: { windowMs: 15 * 60_000, maxFailures: 5, lockMs: 15 * 60_000 },
  address: { windowMs: 15 * 60_000, maxFailures: 30, lockMs: 15 * 60_000 },
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxKeys: 100_000,
});

/** What the throttle says about an attempt before it is checked. */
export interface ThrottleVerdict {
  /** Set while the account or the address is locked: refuse without checking the password. */
  lockedUntil?: Date;
  /** Wait this long before answering (progressive delay). */
  delayMs: number;
}

interface Entry {
  failures: number[];
  lockedUntil: number;
}

class SlidingWindow {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly maxKeys: number,
  ) {}

  /** Failures still in the window, and the lock end (0 when none). */
  look(key: string, now: number): { failures: number; lockedUntil: number } {
    const entry = this.entries.get(key);
    if (!entry) return { failures: 0, lockedUntil: 0 };
    entry.failures = entry.failures.filter((t) => t > now - this.limits.windowMs);
    return { failures: entry.failures.length, lockedUntil: entry.lockedUntil > now ? entry.lockedUntil : 0 };
  }

  /** Records a failure; returns how to take it back (a provisional failure of an attempt that then succeeded). */
  fail(key: string, now: number): () => void {
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
      entry = { failures: [], lockedUntil: 0 };
    } else {
      this.entries.delete(key); // re-insert: Map order is then least recently failed first
    }
    entry.failures = entry.failures.filter((t) => t > now - this.limits.windowMs);
    const before = { failures: [...entry.failures], lockedUntil: entry.lockedUntil };
    entry.failures.push(now);
    if (entry.failures.length >= this.limits.maxFailures) {
      entry.lockedUntil = now + this.limits.lockMs;
      entry.failures = [];
    }
    this.entries.set(key, entry);
    const recorded = entry;
    return () => {
      if (this.entries.get(key) !== recorded) return;
      const i = recorded.failures.lastIndexOf(now);
      if (i >= 0) recorded.failures.splice(i, 1);
      else if (recorded.lockedUntil === now + this.limits.lockMs) Object.assign(recorded, before);
    };
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Brute-force protection for sign-in (issue 5 §5, OWASP Authentication cheat
 * sheet): a per-process sliding window of failures per account and per source
 * address, with a progressive delay and a temporary lock. Accounts are keyed by
 * the normalised user name whether or not the user exists, so an unknown user
 * is throttled, and answered, exactly like a known one. Per process: with N
 * replicas an attacker gets up to N times the budget (stated in the report);
 * a shared store would be the distributed answer.
 */
export class LoginThrottle {
  private readonly accounts: SlidingWindow;
  private readonly addresses: SlidingWindow;

  constructor(private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {
    this.accounts = new SlidingWindow(policy.account, policy.maxKeys);
    this.addresses = new SlidingWindow(policy.address, policy.maxKeys);
  }

  /** The verdict for an attempt on `account` from `address` at `now`. */
  assess(account: string, address: string, now: Date): ThrottleVerdict {
    const t = now.getTime();
    const a = this.accounts.look(account, t);
    const s = this.addresses.look(address, t);
    const lockedUntil = Math.max(a.lockedUntil, s.lockedUntil);
    const failures = Math.max(a.failures, Math.floor(s.failures / 3));
    const delayMs =
      failures === 0 ? 0 : Math.min(this.policy.baseDelayMs * 2 ** (failures - 1), this.policy.maxDelayMs);
    return lockedUntil > 0 ? { lockedUntil: new Date(lockedUntil), delayMs } : { delayMs };
  }

  /**
   * Assesses an attempt and, unless refused, counts it as a failure at once
   * (synchronously, before any await): concurrent attempts each see the ones
   * before them, so parallel guesses cannot all pass the lock (issue 5 §5).
   * `undo()` takes the provisional failure back; `succeeded()` does and clears the account.
   */
  begin(account: string, address: string, now: Date): ThrottleVerdict & { undo?: () => void; succeeded?: () => void } {
    const verdict = this.assess(account, address, now);
    if (verdict.lockedUntil) return verdict;
    const undoAccount = this.accounts.fail(account, now.getTime());
    const undoAddress = this.addresses.fail(address, now.getTime());
    const undo = () => {
      undoAccount();
      undoAddress();
    };
    return {
      ...verdict,
      undo,
      succeeded: () => {
        undo();
        this.recordSuccess(account);
      },
    };
  }

  /** Records a failed attempt (wrong password, unknown user, wrong one-time code). */
  recordFailure(account: string, address: string, now: Date): void {
    this.accounts.fail(account, now.getTime());
    this.addresses.fail(address, now.getTime());
  }

  /** A success clears the account's failures (not the address's: one good account does not vouch for it). */
  recordSuccess(account: string): void {
    this.accounts.clear(account);
  }
}
