import type { SigningKeys } from '@tessera/keys';
import { importJWK, type JWK } from 'jose';

/** Least time between two reloads of the keys for an unknown `kid`. */
const RELOAD_COOLDOWN_MS = 1000;
/** Longest time a key set is used before it is reloaded: a retired key stops verifying within it. */
export const PUBLISHED_KEYS_MAX_AGE_MS = 60_000;

/** One published verification key. */
export interface VerificationKey {
  alg: string;
  key: ReturnType<typeof importJWK>;
}

/**
 * The keys one owner currently publishes, by `kid` (RFC 7517). Each reload
 * REPLACES the set, so a retired key (no longer published) stops verifying:
 * at the next reload, on an unknown `kid` (at most once a second) or once the
 * set is older than PUBLISHED_KEYS_MAX_AGE_MS.
 */
export class PublishedKeysCache {
  private keysByKid = new Map<string, VerificationKey>();
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly keys: SigningKeys,
    private readonly owner: () => string,
  ) {}

  /** The published key `kid` of the owner, or undefined. */
  async keyFor(kid: string): Promise<VerificationKey | undefined> {
    const age = Date.now() - this.loadedAt;
    const known = this.keysByKid.get(kid);
    if (age < RELOAD_COOLDOWN_MS || (known && age < PUBLISHED_KEYS_MAX_AGE_MS)) return known;
    const owner = this.owner();
    const next = new Map<string, VerificationKey>();
    for (const k of await this.keys.published()) {
      if (k.owner !== owner) continue;
      // A key never changes under its kid: the imported key is reused.
      next.set(k.kid, this.keysByKid.get(k.kid) ?? { alg: k.alg, key: importJWK(k.publicJwk as JWK, k.alg) });
    }
    this.keysByKid = next;
    this.loadedAt = Date.now();
    return next.get(kid);
  }
}
