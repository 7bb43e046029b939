import type { SealedClaims } from './authorization.events';
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
  /** Every grant a revoked consent allowed was revoked (stream `consentrevocation-<consentId>`): one cascade. */
  grantsRevoked: 'grants.revoked',
} as const;

/** Stream of the cascade of one revoked consent: `consentrevocation-<consentId>` (DESIGN §5). */
export const consentRevocationStream = (consentId: string): string => `consentrevocation-${consentId}`;

/** Purpose (`sealWithToken`) of the claims an access token releases, sealed under its value. */
export const ACCESS_TOKEN_CLAIMS_PURPOSE = 'access-token.claims';
/** Purpose (`sealWithToken`) of the claims a refresh family carries, sealed under its current refresh token. */
export const REFRESH_TOKEN_CLAIMS_PURPOSE = 'refresh-token.claims';

/** What a refresh family's `sealedClaims` holds once opened with its current refresh token. */
export interface RefreshTokenClaims {
  /** The claims the family's scopes require (DESIGN §5), for the access tokens of its rotations. */
  accessToken: Record<string, unknown>;
  /** The authentication behind an `openid` family, for the ID token of each refresh (OIDC Core §12.2). */
  idToken?: RefreshIdTokenContext;
}

/** What a refreshed ID token repeats of the original authentication (OIDC Core §12.2). */
export interface RefreshIdTokenContext {
  /** The standard claims the granted scopes release. */
  claims: Record<string, unknown>;
  /** ISO 8601: the time of the original authentication, not of the refresh. */
  authTime: string;
  acr: string;
  amr: string[];
  sid?: string;
}

/** Why tokens were revoked. */
export type RevocationReason =
  | 'revoked_by_client'
  | 'refresh_token_reuse'
  | 'consent_revoked'
  /** RFC 9700 §4.5: the authorization code that issued them was presented again. */
  | 'authorization_code_reuse'
  /** RFC 8693 lineage: a token it was exchanged from was revoked (published with that revocation). */
  | 'ancestor_revoked'
  /** A token of a revoked refresh family, recorded on its own stream (published with the family's revocation). */
  | 'family_revoked';

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
  /** The consent that allowed it (authorization code grant): revoking the consent revokes the token. */
  consentId?: string;
  /** RFC 8693 §4.1 delegation chain of an exchanged token (an ActClaim). */
  act?: Record<string, unknown>;
  /** The subject token an exchanged token was exchanged from (lineage: revoking it revokes this one). */
  parentHandle?: string;
  /**
   * The claims its scopes require (DESIGN §5), released with the token, sealed
   * under the token value (ACCESS_TOKEN_CLAIMS_PURPOSE): only whoever presents
   * the token can read them, never the log alone (DESIGN §2). Absent when none.
   */
  sealedClaims?: SealedClaims;
}

/** Data of `access-token.revoked`. */
export interface AccessTokenRevokedData {
  handle: string;
  clientId: string;
  sub: string;
  reason: RevocationReason;
  revokedAt: string;
  /** Tokens exchanged from it, transitively, revoked with it (each also records `ancestor_revoked`). */
  descendantHandles?: string[];
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
  /** The consent that allowed it (authorization code grant): revoking the consent revokes the family. */
  consentId?: string;
  /** RefreshTokenClaims sealed under the first refresh token (REFRESH_TOKEN_CLAIMS_PURPOSE); absent when none. */
  sealedClaims?: SealedClaims;
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
  /** The family's RefreshTokenClaims resealed under the successor (REFRESH_TOKEN_CLAIMS_PURPOSE); absent when none. */
  sealedClaims?: SealedClaims;
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
  /** Tokens exchanged from its access tokens, transitively, revoked with it (each also records `ancestor_revoked`). */
  descendantHandles?: string[];
}

/**
 * Data of `grants.revoked`: a consent was revoked, and with it every grant it
 * allowed (DESIGN §5). Each family and access token also records its own
 * revocation (reason `consent_revoked`) in the same transaction; this event is
 * the cascade as one fact, published as one `tessera.revocation.v1` message.
 */
export interface GrantsRevokedData {
  consentId: string;
  sub: string;
  clientId: string;
  reason: 'consent_revoked';
  refreshFamilyIds: string[];
  refreshHandles: string[];
  accessTokenHandles: string[];
  revokedAt: string;
}
