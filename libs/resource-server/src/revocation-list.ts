import { createHash } from 'node:crypto';
import { PHANTOM_REFERENCE_CLAIM } from '@tessera/contracts';
import { readRevocationEvent, type Revocation } from './revocation-event';

/** Options of the revocation list. */
export interface RevocationListOptions {
  /**
   * How long an entry is kept when its token's expiry is unknown, in seconds
   * (default 86,400: longer than any access token lives).
   */
  retentionSeconds?: number;
  /** The clock (tests); default `new Date()`. */
  now?: () => Date;
}

/** Slack after a token's `exp` before its entry is forgotten: the verifier's maximum leeway. */
const EXPIRY_SLACK_MS = 60_000;
/** Least time between two sweeps of forgotten entries. */
const SWEEP_INTERVAL_MS = 60_000;

/** base64url(SHA-256(token value)): the handle the token service publishes (never the value itself). */
export function tokenHandle(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/**
 * The revoked tokens an API has heard of on `iam.revocations`, so a revoked
 * token is refused before it expires (DESIGN §5). Entries are matched by
 * handle: of the token value itself, or, for a phantom JWT from the gateway,
 * of the reference token it stands for (its verified `tsr_ref` claim) — or by
 * `jti` when an event lists jtis; kept until the token's expiry, or
 * `retentionSeconds` when that is unknown.
 */
export class RevocationList {
  private readonly handles = new Map<string, number>();
  private readonly jtis = new Map<string, number>();
  private readonly retentionMs: number;
  private readonly now: () => Date;
  private nextSweepMs = 0;

  constructor(options: RevocationListOptions = {}) {
    this.retentionMs = (options.retentionSeconds ?? 86_400) * 1000;
    this.now = options.now ?? (() => new Date());
  }

  /** Applies one `tessera.revocation.v1` CloudEvent (any bus); false when it is not one (skipped). */
  apply(event: unknown): boolean {
    const revocation = readRevocationEvent(event);
    if (!revocation) return false;
    this.add(revocation);
    return true;
  }

  /** Records a revocation; redelivered events are harmless (at-least-once delivery). */
  add(revocation: Revocation): void {
    const nowMs = this.now().getTime();
    const forgetAfterMs =
      revocation.expiresAtMs !== undefined
        ? revocation.expiresAtMs + EXPIRY_SLACK_MS
        : (revocation.revokedAtMs ?? nowMs) + this.retentionMs;
    this.sweep(nowMs);
    if (forgetAfterMs <= nowMs) return;
    for (const handle of revocation.handles) remember(this.handles, handle, forgetAfterMs);
    for (const jti of revocation.jtis) remember(this.jtis, jti, forgetAfterMs);
  }

  /** True when the token (its value, the reference token behind it, or its verified `jti`) has been revoked. */
  revoked(token: string, payload: { jti?: unknown; exp?: unknown; [claim: string]: unknown } = {}): boolean {
    if (this.handles.size === 0 && this.jtis.size === 0) return false;
    if (typeof payload.jti === 'string' && this.jtis.has(payload.jti)) {
      return matched(this.jtis, payload.jti, payload.exp);
    }
    if (this.handles.size === 0) return false;
    // A phantom JWT is revoked with the reference token it was minted for (issue 4 §3).
    const reference = payload[PHANTOM_REFERENCE_CLAIM];
    // The entry is shared by every phantom JWT of that reference token: this JWT's exp says nothing of
    // the next one's, so the entry keeps its own lifetime (the reference token's expiry or the retention).
    if (typeof reference === 'string' && this.handles.has(reference)) return true;
    const handle = tokenHandle(token);
    return this.handles.has(handle) && matched(this.handles, handle, payload.exp);
  }

  /** How many entries are held (handles and jtis). */
  get size(): number {
    return this.handles.size + this.jtis.size;
  }

  /** Drops entries whose token has expired; runs at most once a minute. */
  private sweep(nowMs: number): void {
    if (nowMs < this.nextSweepMs) return;
    this.nextSweepMs = nowMs + SWEEP_INTERVAL_MS;
    for (const map of [this.handles, this.jtis]) {
      for (const [key, forgetAfterMs] of map) if (forgetAfterMs <= nowMs) map.delete(key);
    }
  }
}

function remember(map: Map<string, number>, key: string, forgetAfterMs: number): void {
  map.set(key, Math.max(map.get(key) ?? 0, forgetAfterMs));
}

/**
 * The matched token's own expiry is now known: its entry is needed no longer than that. Only for an
 * entry of that one token (its `jti` or the handle of its own value), never a shared reference handle.
 */
function matched(map: Map<string, number>, key: string, exp: unknown): true {
  if (typeof exp === 'number') map.set(key, Math.min(map.get(key) ?? Infinity, exp * 1000 + EXPIRY_SLACK_MS));
  return true;
}
