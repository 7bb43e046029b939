/** Wire type strings of the client aggregate (stream `client-<client_id>`), written once (STYLE 3). */
export const ClientEvents = {
  registered: 'client.registered',
  updated: 'client.updated',
  secretRotated: 'client.secret-rotated',
  deleted: 'client.deleted',
} as const;

/** Client authentication methods at the token endpoint (RFC 7591 §2). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

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

/** The stream id of a client. */
export function clientStream(clientId: string): string {
  return `client-${clientId}`;
}
