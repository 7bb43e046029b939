// Ports of the token issuer (STYLE: side effects behind injectables): the
// keys feature signs, the scopes feature says which claims a scope requires.
// token.module.ts binds them to TokenSigner and ScopeCatalog.

/** Signs a JWT payload with the current signing key (compact JWS with `kid`). */
export interface AccessTokenSigner {
  sign(payload: Record<string, unknown>, options: { typ: string }): Promise<string>;
}

/** A scope's contract with APIs (DESIGN §5). */
export interface ScopeRequirement {
  name: string;
  requiredClaims: string[];
}

/**
 * A stream version a decision was based on. Appended as a request without
 * events, it makes the append fail with ConcurrencyError (and append nothing)
 * if the stream has moved since (DESIGN §2: optimistic concurrency).
 */
export interface StreamGuard {
  streamId: string;
  version: number;
}

/** Requirements possibly served from a cache, with the guards that make them exact at append time. */
export interface GuardedScopeRequirements {
  requirements: ScopeRequirement[];
  guards: StreamGuard[];
  /** False when (part of) the answer came from the cache: a refusal based on it must be re-checked fresh. */
  fresh: boolean;
}

/** Which claims each scope requires; unknown scopes are left out of the answer. */
export interface ScopeRequirements {
  /** Read now from the log: exact. */
  get(names: readonly string[]): Promise<ScopeRequirement[]>;
  /**
   * Like `get` without a read when cached (issue 3 benchmark: no catalogue
   * read per token). Only exact together with its guards in the same append.
   */
  getGuarded(names: readonly string[]): Promise<GuardedScopeRequirements>;
  /** Drops cached answers (their guards failed, or a refusal needs a fresh look). */
  forget(names: readonly string[]): void;
}

/** Injection token of the AccessTokenSigner. */
export const ACCESS_TOKEN_SIGNER = Symbol('token:access-token-signer');
/** Injection token of the ScopeRequirements. */
export const SCOPE_REQUIREMENTS = Symbol('token:scope-requirements');
/** Injection token of the clock (`() => Date`), replaced in tests. */
export const CLOCK = Symbol('token:clock');
