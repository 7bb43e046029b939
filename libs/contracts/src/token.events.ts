import type { AccessTokenFormat } from './client.events';

// Token events (issue 3, DESIGN §2, §5). Tokens are named by handle =
// base64url(SHA-256(token value)); no token value ever enters the log.

/** Stream of one access token: `accesstoken-<handle>`. */
export const accessTokenStream = (handle: string): string => `accesstoken-${handle}`;
/**
 * Stream of one refresh token: `refreshtoken-<handle>`. It only says which
 * family the token belongs to, so that a lookup by handle is one read of the
 * log, exact the instant the token was issued (DESIGN §4 read-through).
 */
export const refreshTokenStream = (handle: string): string => `refreshtoken-${handle}`;
/** Stream of one refresh token family: `refreshfamily-<familyId>`. */
export const refreshFamilyStream = (familyId: string): string => `refreshfamily-${familyId}`;

/** Wire type strings of access tokens and refresh families, written once (STYLE 3). */
export const TokenEvents = {
  /** An access token was issued (stream `accesstoken-<handle>`). */
  accessTokenIssued: 'access-token.issued',
  /** An access token was revoked on its own (stream `accesstoken-<handle>`). */
  accessTokenRevoked: 'access-token.revoked',
  /** A refresh family began with its first refresh token (stream `refreshfamily-<id>`). */
  refreshFamilyStarted: 'refresh-family.started',
  /** A refresh token was issued into a family (stream `refreshtoken-<handle>`); whether it is live is the family's call. */
  refreshTokenIssued: 'refresh-token.issued',
  /** A refresh token was used: it is spent and its successor is the family's live token. */
  refreshTokenRotated: 'refresh-token.rotated',
  /** The family was revoked with every token it issued: the whole cascade in one event (DESIGN §5). */
  refreshFamilyRevoked: 'refresh-family.revoked',
} as const;

/** Why tokens were revoked. */
export type RevocationReason = 'revoked_by_client' | 'refresh_token_reuse';

/** Data of `access-token.issued`. */
export interface AccessTokenIssuedData {
  handle: string;
  clientId: string;
  /** The resource owner, or the client id for client credentials (RFC 9068 §2.2). */
  sub: string;
  /** Space-separated granted scopes. */
  scope: string;
  /** The resource servers the token is for. */
  aud: string[];
  format: AccessTokenFormat;
  /** JWT id (also set for reference tokens, for audit correlation). */
  jti: string;
  /** ISO 8601. */
  issuedAt: string;
  /** ISO 8601. */
  expiresAt: string;
  /** The refresh family that issued it, if any. */
  familyId?: string;
}

/** Data of `access-token.revoked`. */
export interface AccessTokenRevokedData {
  handle: string;
  clientId: string;
  sub: string;
  reason: RevocationReason;
  revokedAt: string;
}

/** Data of `refresh-token.issued`. */
export interface RefreshTokenIssuedData {
  handle: string;
  familyId: string;
}

/** Data of `refresh-family.started`. */
export interface RefreshFamilyStartedData {
  familyId: string;
  clientId: string;
  sub: string;
  /** The scope the family was granted: a refresh may only narrow it. */
  scope: string;
  aud: string[];
  /** Handle of the family's first refresh token. */
  refreshHandle: string;
  /** Handle of the access token issued with it. */
  accessTokenHandle: string;
  issuedAt: string;
  /** Absolute end of the family (ISO 8601). */
  expiresAt: string;
}

/** Data of `refresh-token.rotated`. */
export interface RefreshTokenRotatedData {
  familyId: string;
  /** The refresh token just used (now spent). */
  previousHandle: string;
  /** Its successor. */
  refreshHandle: string;
  accessTokenHandle: string;
  /** The scope of the new access token (⊆ the family's). */
  scope: string;
  rotatedAt: string;
}

/** Data of `refresh-family.revoked`: every handle the revocation covers. */
export interface RefreshFamilyRevokedData {
  familyId: string;
  clientId: string;
  sub: string;
  reason: RevocationReason;
  refreshHandles: string[];
  accessTokenHandles: string[];
  revokedAt: string;
}
