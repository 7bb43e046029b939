/** Wire type strings of the client aggregate (stream `client-<client_id>`), written once (STYLE 3). */
export const ClientEvents = {
  registered: 'client.registered',
  updated: 'client.updated',
  secretRotated: 'client.secret-rotated',
  deleted: 'client.deleted',
} as const;

/** Client authentication methods at the token endpoint (RFC 7591 §2). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/** A public JSON Web Key as registered in `jwks` (RFC 7517 §4; never private members). */
export interface PublicJwk {
  kty: string;
  [member: string]: unknown;
}

/** Tessera's own metadata: the format of the access tokens a client receives (DESIGN §5). */
export type AccessTokenFormat = 'reference' | 'jwt';

/**
 * A client's registered metadata (RFC 7591 §2 names, defaults applied).
 * Facts only: never a secret, a hash of one or a registration access token (DESIGN §2).
 */
export interface ClientMetadata {
  client_name?: string;
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  /** Space-separated scopes the client may request (RFC 6749 §3.3); empty means none. */
  scope: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  access_token_format: AccessTokenFormat;
  /** audience → space-separated scopes obtainable for it by token exchange (RFC 8693). */
  token_exchange_policy?: Record<string, string>;
  /** private_key_jwt: the client's public keys, inline (RFC 7591 §2); exclusive with `jwks_uri`. */
  jwks?: { keys: PublicJwk[] };
  /** private_key_jwt: where the client publishes its public keys (RFC 7591 §2). */
  jwks_uri?: string;
  /**
   * Tessera's own metadata: the resources (RFC 8707 §2 absolute URIs, no
   * fragment) this client serves as a resource server; it may introspect
   * tokens whose `aud` includes one of them (RFC 7662 §2.2, issue 4).
   */
  resource_identifiers?: string[];
  /**
   * OIDC RP-Initiated Logout 1.0 §3.1: where the client may be sent after
   * logout, matched exactly (https, or http on a loopback address).
   */
  post_logout_redirect_uris?: string[];
  /**
   * Tessera's own metadata: PKCE (S256) required for this client's
   * authorization requests (RFC 9700 §2.1.1). Absent means true; a public
   * client cannot turn it off.
   */
  require_pkce?: boolean;
}

/** `client.registered`: a client was created by dynamic registration (RFC 7591). */
export interface ClientRegisteredData {
  clientId: string;
  /** Seconds since the epoch (RFC 7591 `client_id_issued_at`). */
  issuedAt: number;
  metadata: ClientMetadata;
}

/** `client.updated`: the client's metadata was replaced (RFC 7592 §2.2). */
export interface ClientUpdatedData {
  clientId: string;
  metadata: ClientMetadata;
}

/** `client.secret-rotated`: a new secret was issued; the secret itself lives only hashed in `token.client_secrets`. */
export interface ClientSecretRotatedData {
  clientId: string;
  /** Seconds since the epoch. */
  rotatedAt: number;
}

/** `client.deleted`: the client was deprovisioned (RFC 7592 §2.3). */
export interface ClientDeletedData {
  clientId: string;
}

/**
 * Wire type of the single-use record of a client assertion's `jti` (RFC 7523 §3 item 7),
 * in stream `clientassertion-<sha256(client_id + jti)>`; a second append at version 0 is a replay.
 */
export const ClientAssertionEvents = {
  used: 'client.assertion-used',
} as const;

/** `client.assertion-used`: a private_key_jwt assertion was accepted once. No assertion, no jti in clear. */
export interface ClientAssertionUsedData {
  clientId: string;
  /** base64url(SHA-256(client_id + jti)). */
  jtiHash: string;
  /** The assertion's `exp` (seconds since the epoch): after it, the record is no longer needed. */
  expiresAt: number;
}

/** The stream id recording one use of a client assertion, by its `jtiHash`. */
export function clientAssertionStream(jtiHash: string): string {
  return `clientassertion-${jtiHash}`;
}

/** The stream id of a client. */
export function clientStream(clientId: string): string {
  return `client-${clientId}`;
}
