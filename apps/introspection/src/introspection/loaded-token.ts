import { ACCESS_TOKEN_CLAIMS_PURPOSE } from '@tessera/contracts';
import { openWithToken } from '@tessera/keys';
import type { ActiveToken } from './active-token';
import type { IssuedTokenRow } from './active-tokens.projection';

/** What the read model says of one handle: its issuance facts and both revocations. */
export interface LoadedToken {
  row: IssuedTokenRow;
  /** True when the token's refresh family was revoked (DESIGN §5 cascade). */
  familyRevoked: boolean;
}

/** True when nothing but expiry can make the token active again: it is revoked, or its family is. */
export function isRevoked(token: LoadedToken): boolean {
  return token.row.revoked || token.familyRevoked;
}

/** Seconds since the epoch at which the token expires. */
export function expiresAt(token: LoadedToken): number {
  return Math.floor(Date.parse(token.row.expiresAt) / 1000);
}

/**
 * The claims the token releases, opened with the presented value they are
 * sealed under (DESIGN §2: the log alone cannot read them); null when they
 * cannot be opened, which makes the token inactive rather than claim-less.
 */
function releasedClaims(row: IssuedTokenRow, value: string): Record<string, unknown> | null {
  if (row.sealedClaims === undefined) return {};
  try {
    return openWithToken<Record<string, unknown>>(value, ACCESS_TOKEN_CLAIMS_PURPOSE, row.sealedClaims);
  } catch {
    return null;
  }
}

/**
 * Pure: the live token, or null when it is revoked, its family is revoked or
 * it has expired (RFC 7662 §2.2: all the same to the caller). `value` is the
 * presented token, whose handle the row is.
 */
export function activeToken(token: LoadedToken, nowSeconds: number, value: string): ActiveToken | null {
  const { row } = token;
  if (isRevoked(token)) return null;
  const exp = expiresAt(token);
  const iat = Math.floor(Date.parse(row.issuedAt) / 1000);
  if (!Number.isFinite(exp) || !Number.isFinite(iat) || exp <= nowSeconds) return null;
  const claims = releasedClaims(row, value);
  if (claims === null) return null;
  return {
    handle: row.handle,
    clientId: row.clientId,
    sub: row.sub,
    scope: row.scope,
    aud: [...row.aud],
    format: row.format,
    jti: row.jti,
    iat,
    exp,
    claims,
    ...(row.act !== undefined ? { act: row.act } : {}),
    ...(row.familyId !== undefined ? { familyId: row.familyId } : {}),
  };
}
