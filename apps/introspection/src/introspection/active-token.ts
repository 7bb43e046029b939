/**
 * What the introspection service knows of a live access token (RFC 7662 §2.2):
 * the issuance facts from `access-token.issued`, already checked for revocation
 * (its own and its refresh family's) and expiry.
 */
export interface ActiveToken {
  /** base64url(SHA-256(token value)): how the log names it (DESIGN §2). */
  handle: string;
  clientId: string;
  sub: string;
  /** Space-separated scopes. */
  scope: string;
  aud: string[];
  /** `reference` for opaque tokens, `jwt` for RFC 9068 tokens handed to the client. */
  format: 'reference' | 'jwt';
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  /** Seconds since the epoch. */
  exp: number;
  /** The claims its scopes require (DESIGN §5), released with the token. */
  claims: Record<string, unknown>;
  /** RFC 8693 §4.1 delegation chain, when the token was exchanged (issue 6). */
  act?: Record<string, unknown>;
  familyId?: string;
}

/** Injection token of the TokenIntrospector. */
export const TOKEN_INTROSPECTOR = Symbol('tessera:token-introspector');

/**
 * Looks a presented token up: the live token, or null for anything unknown,
 * expired, revoked or malformed (RFC 7662 §2.2 does not distinguish them).
 */
export interface TokenIntrospector {
  introspect(token: string): Promise<ActiveToken | null>;
}
