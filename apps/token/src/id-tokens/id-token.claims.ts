import { createHash } from 'node:crypto';

/** ID token lifetime (OIDC Core §2 `exp`): as short as the access token it comes with. */
export const ID_TOKEN_TTL_SECONDS = 900;

/** What an ID token says about one authentication (OIDC Core §2), for one client. */
export interface IdTokenInput {
  issuer: string;
  sub: string;
  /** The client the ID token is for: its only audience (OIDC Core §2 `aud`). */
  clientId: string;
  /** When the user authenticated (ISO 8601). */
  authTime: string;
  acr: string;
  amr: readonly string[];
  /** The authorization request's nonce, echoed unchanged (OIDC Core §3.1.3.6). */
  nonce?: string;
  /** Session id (OIDC Front-/Back-Channel Logout `sid`). */
  sid?: string;
  /** The access token issued with it, for `at_hash`. */
  accessToken?: string;
  /** The standard claims the granted scopes release (OIDC Core §5.4), opened from the code. */
  claims: Readonly<Record<string, unknown>>;
  now: Date;
}

/**
 * OIDC Core §3.1.3.6: `at_hash` is the base64url of the left half of the hash
 * of the access token's ASCII octets, the hash being the one of the ID
 * token's JWS `alg` (SHA-256 for ES256/RS256/PS256; SHA-512 for EdDSA, as
 * for Ed25519 in OIDC Core errata 2).
 */
export function accessTokenHash(accessToken: string, alg: string): string {
  const digest = createHash(hashOf(alg)).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function hashOf(alg: string): 'sha256' | 'sha384' | 'sha512' {
  if (alg === 'EdDSA' || alg.endsWith('512')) return 'sha512';
  if (alg.endsWith('384')) return 'sha384';
  if (alg.endsWith('256')) return 'sha256';
  throw new Error(`no at_hash hash for alg ${alg}`);
}

/**
 * Pure: the ID token's claims (OIDC Core §2). The released standard claims go
 * first, so none of them can shadow a registered claim.
 */
export function idTokenClaims(input: IdTokenInput, alg: string): Record<string, unknown> {
  const iat = Math.floor(input.now.getTime() / 1000);
  return {
    ...input.claims,
    iss: input.issuer,
    sub: input.sub,
    aud: input.clientId,
    exp: iat + ID_TOKEN_TTL_SECONDS,
    iat,
    auth_time: Math.floor(Date.parse(input.authTime) / 1000),
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    acr: input.acr,
    amr: [...input.amr],
    ...(input.accessToken !== undefined ? { at_hash: accessTokenHash(input.accessToken, alg) } : {}),
    ...(input.sid !== undefined ? { sid: input.sid } : {}),
  };
}
