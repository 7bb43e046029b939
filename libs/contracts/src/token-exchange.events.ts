// Token exchange events (RFC 8693, issue 6). No token value ever enters the log:
// tokens are named by handle = base64url(SHA-256(value)).

/** RFC 8693 §4.1 `act`: the current actor, with the prior actors nested inside. */
// A type alias, not an interface, so that it is also a Record<string, unknown> (AccessTokenIssuedData.act).
export type ActClaim = {
  sub: string;
  act?: ActClaim;
};

/** Wire type strings of token exchange, written once (STYLE 3). */
export const TokenExchangeEvents = {
  /**
   * A token was exchanged for a narrower one (stream `accesstoken-<parentHandle>`,
   * the subject token's own stream: its lineage is read there, exactly, and a
   * revocation of the parent and an exchange from it cannot both win).
   * Concurrent exchanges of one subject are appended one after another, never
   * refused because of each other (TokenExchangeGrant).
   */
  tokenExchanged: 'token.exchanged',
  /**
   * Tokens exchanged from tokens that a revocation without lineage (refresh
   * token reuse, consent revoked, code replay) revoked, revoked after it as one
   * cascade (stream `tokenlineage-<key>`).
   */
  tokenLineageRevoked: 'token-lineage.revoked',
} as const;

/** Stream of the lineage cascades of one family id or access token handle: `tokenlineage-<key>`. */
export const tokenLineageStream = (key: string): string => `tokenlineage-${key}`;

/** Data of `token-lineage.revoked`: the descendants revoked after a revocation that did not list them. */
export interface TokenLineageRevokedData {
  /** The refresh family id, or the access token handle, whose revocation this follows. */
  key: string;
  /** The id of that revocation event. */
  sourceEventId: string;
  clientId: string;
  sub: string;
  reason: 'ancestor_revoked';
  /** The source revocation's reason. */
  cause: string;
  descendantHandles: string[];
  revokedAt: string;
}

/** Data of `token.exchanged`: the audit record of one exchange (who, for whom, to what). */
export interface TokenExchangedData {
  /** The new token. */
  handle: string;
  /** The subject token it was exchanged from. */
  parentHandle: string;
  /** The subject token's refresh family, if it has one (revoking the family revokes the new token). */
  parentFamilyId?: string;
  /** The client that asked for the exchange. */
  clientId: string;
  /** For whom: the subject token's `sub`. */
  sub: string;
  /** The new token's delegation chain (RFC 8693 §4.1). */
  act: ActClaim;
  /** The one audience (or resource) the new token is for. */
  audience: string;
  /** Space-separated granted scopes. */
  scope: string;
  /** The subject's scopes the new token does not carry (privilege reduction). */
  droppedScopes: string[];
  /** ISO 8601. */
  exchangedAt: string;
  /** ISO 8601: at most the subject token's expiry. */
  expiresAt: string;
}
