import { expiresAt, isRevoked, type LoadedToken } from './loaded-token';

/** Bounds of the HotTokenCache. */
export interface HotTokenCacheOptions {
  /** Tokens kept (least recently used evicted first). */
  maxEntries: number;
  /**
   * A cached token is read again from the read model after this long: with a revocation message lost, a
   * revoked token stays active at most this long plus the read model's projection lag.
   */
  revalidateAfterMs: number;
  /** Revoked handles remembered (oldest forgotten first). */
  maxRevoked: number;
  /** How long a revoked handle whose expiry is unknown here is remembered: the longest access-token lifetime. */
  revokedMemoryMs: number;
}

/** The defaults: ≈100k tokens, 2 s revalidation (+ projection lag if a message is lost), 15 min = the access-token lifetime. */
export const HOT_TOKEN_CACHE_DEFAULTS: HotTokenCacheOptions = {
  maxEntries: 100_000,
  revalidateAfterMs: 2_000,
  maxRevoked: 100_000,
  revokedMemoryMs: 15 * 60_000,
};

/**
 * The introspection service's hot cache (issue 4 §2): tokens by handle as
 * last read from the read model, and the handles revocation events named.
 * A revoked handle wins over any cached or freshly loaded state until the
 * token would have expired anyway: the bus message may arrive before the
 * projection has the revocation. Unknown handles are never cached
 * (read-through must find a just-issued token). Pure: the clock is passed in.
 */
export class HotTokenCache {
  private readonly entries = new Map<string, { token: LoadedToken; checkedAt: number }>();
  private readonly revoked = new Map<string, number>();

  constructor(private readonly options: HotTokenCacheOptions = HOT_TOKEN_CACHE_DEFAULTS) {}

  /** The cached token when it was read from the read model less than `revalidateAfterMs` ago. */
  fresh(handle: string, nowMs: number): LoadedToken | null {
    const entry = this.entries.get(handle);
    if (entry === undefined) return null;
    this.entries.delete(handle);
    if (nowMs - entry.checkedAt >= this.options.revalidateAfterMs) return null;
    this.entries.set(handle, entry); // most recently used last
    return entry.token;
  }

  /** Caches what the read model answered; a revoked token goes to the revoked handles instead. */
  remember(handle: string, token: LoadedToken, nowMs: number): void {
    if (isRevoked(token)) {
      this.markRevoked(handle, expiresAt(token) * 1000, nowMs);
      return;
    }
    this.entries.delete(handle);
    this.entries.set(handle, { token, checkedAt: nowMs });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A revocation event named these handles (`iam.revocations`, DESIGN §3). */
  revoke(handles: readonly string[], nowMs: number): void {
    for (const handle of handles) {
      const cached = this.entries.get(handle);
      const until = cached ? expiresAt(cached.token) * 1000 : nowMs + this.options.revokedMemoryMs;
      this.entries.delete(handle);
      this.markRevoked(handle, until, nowMs);
    }
  }

  /** True while a revocation of this handle is remembered. */
  isRevoked(handle: string, nowMs: number): boolean {
    const until = this.revoked.get(handle);
    if (until === undefined) return false;
    if (until > nowMs) return true;
    this.revoked.delete(handle);
    return false;
  }

  /** How many tokens and revoked handles are held (tests, metrics). */
  get size(): { tokens: number; revoked: number } {
    return { tokens: this.entries.size, revoked: this.revoked.size };
  }

  private markRevoked(handle: string, untilMs: number, nowMs: number): void {
    if (!Number.isFinite(untilMs) || untilMs <= nowMs) return;
    this.revoked.delete(handle);
    this.revoked.set(handle, untilMs);
    if (this.revoked.size > this.options.maxRevoked) this.revoked.delete(this.revoked.keys().next().value!);
  }
}
