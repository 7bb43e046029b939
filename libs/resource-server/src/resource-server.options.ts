/** Asymmetric JWS algorithms a resource server may accept (RFC 7518 §3.1, RFC 8037). Never `none`, never HS*. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
];

/** The default allow-list: Tessera signs with ES256 (DESIGN §5); EdDSA and RS256 for other issuers' keys. */
export const DEFAULT_ALGORITHMS: readonly string[] = ['ES256', 'EdDSA', 'RS256'];

/** RFC 8725 §3.10 leaves leeway to the verifier; Tessera allows at most a minute of clock skew. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;

/** How an access token is verified: one issuer, one audience, keys only from the issuer's JWKS. */
export interface AccessTokenVerifierOptions {
  /** The exact `iss` value (RFC 8725 §3.8). */
  issuer: string;
  /** This API's identifier: it must be one of the token's `aud` values (RFC 9068 §4). */
  audience: string;
  /** The issuer's JWKS URL, the only source of keys (`jku`, `x5u`, `jwk`, `x5c` are never trusted). */
  jwksUri: string | URL;
  /** Allowed `alg` values (default `DEFAULT_ALGORITHMS`); only asymmetric algorithms are accepted. */
  algorithms?: readonly string[];
  /** Leeway for `exp`, `nbf`, `iat` in seconds (default and maximum 60). */
  clockToleranceSeconds?: number;
  /** Least time between two JWKS fetches caused by unknown `kid`s, in ms (default 30,000). */
  jwksCooldownMs?: number;
  /** Age after which the JWKS is fetched again before use, in ms (default 600,000). */
  jwksCacheMaxAgeMs?: number;
  /** Timeout of a JWKS fetch, in ms (default 5,000). */
  jwksTimeoutMs?: number;
  /** The clock (tests); default `new Date()`. */
  now?: () => Date;
}

/** The options after validation, with defaults applied. */
export interface ResolvedVerifierOptions {
  issuer: string;
  audience: string;
  jwksUri: URL;
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  jwksCooldownMs: number;
  jwksCacheMaxAgeMs: number;
  jwksTimeoutMs: number;
  /** Absent: jose's own clock. */
  now?: () => Date;
}

/** Validates the options once, at start-up: a misconfiguration fails loudly rather than weakening checks. */
export function resolveVerifierOptions(opts: AccessTokenVerifierOptions): ResolvedVerifierOptions {
  if (!opts.issuer) throw new TypeError('resource server: issuer is required');
  if (!opts.audience) throw new TypeError('resource server: audience is required');
  if (!opts.jwksUri) throw new TypeError('resource server: jwksUri is required');
  const algorithms = [...(opts.algorithms ?? DEFAULT_ALGORITHMS)];
  if (algorithms.length === 0) throw new TypeError('resource server: algorithms must not be empty');
  // RFC 8725 §3.1/§3.2: no `none`, and no symmetric algorithm that a public key could be abused for.
  const refused = algorithms.filter((alg) => !ASYMMETRIC_ALGORITHMS.includes(alg));
  if (refused.length > 0) throw new TypeError(`resource server: algorithms not allowed: ${refused.join(', ')}`);
  const clockToleranceSeconds = opts.clockToleranceSeconds ?? MAX_CLOCK_TOLERANCE_SECONDS;
  if (!(clockToleranceSeconds >= 0 && clockToleranceSeconds <= MAX_CLOCK_TOLERANCE_SECONDS)) {
    throw new TypeError(`resource server: clockToleranceSeconds must be within 0..${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  return {
    issuer: opts.issuer,
    audience: opts.audience,
    jwksUri: new URL(String(opts.jwksUri)),
    algorithms,
    clockToleranceSeconds,
    jwksCooldownMs: opts.jwksCooldownMs ?? 30_000,
    jwksCacheMaxAgeMs: opts.jwksCacheMaxAgeMs ?? 600_000,
    jwksTimeoutMs: opts.jwksTimeoutMs ?? 5_000,
    now: opts.now,
  };
}
