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

/** Which claims each scope requires; unknown scopes are left out of the answer. */
export interface ScopeRequirements {
  get(names: readonly string[]): Promise<ScopeRequirement[]>;
}

/** Injection token of the AccessTokenSigner. */
export const ACCESS_TOKEN_SIGNER = Symbol('token:access-token-signer');
/** Injection token of the ScopeRequirements. */
export const SCOPE_REQUIREMENTS = Symbol('token:scope-requirements');
/** Injection token of the clock (`() => Date`), replaced in tests. */
export const CLOCK = Symbol('token:clock');
