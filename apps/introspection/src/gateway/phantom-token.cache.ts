/** A JWT minted for one reference token and one audience. */
export interface MintedPhantomToken {
  jwt: string;
  /** Seconds since the epoch. */
  exp: number;
}

/**
 * The JWTs minted per (token handle, audience), so that a busy client does not
 * cost a signature per request. Bounded: beyond `maxEntries` the oldest entry
 * is dropped. It is consulted only AFTER the introspector said the token is
 * live, so a revoked token never gets its cached JWT back.
 */
export class PhantomTokenCache {
  private readonly entries = new Map<string, MintedPhantomToken>();

  constructor(private readonly maxEntries: number) {}

  /** The cached JWT when at least `minRemaining` seconds of its life are left at `now`. */
  get(handle: string, audience: string, now: number, minRemaining: number): MintedPhantomToken | undefined {
    const key = cacheKey(handle, audience);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.exp - now < minRemaining) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(handle: string, audience: string, token: MintedPhantomToken): void {
    const key = cacheKey(handle, audience);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, token);
  }

  get size(): number {
    return this.entries.size;
  }
}

// A handle is base64url, so it never contains the separator.
const cacheKey = (handle: string, audience: string) => `${handle} ${audience}`;
