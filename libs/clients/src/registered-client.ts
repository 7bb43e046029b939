import type { AccessTokenFormat, ClientMetadata, TokenEndpointAuthMethod } from '@tessera/contracts';
import type { ClientState } from './client-state';

/** A live client as the token and introspection endpoints need it (what ClientDirectory and ClientAuthenticator return). */
export interface RegisteredClient {
  clientId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  grantTypes: string[];
  redirectUris: string[];
  /** The scopes the client may request. */
  scopes: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  accessTokenFormat: AccessTokenFormat;
  /** audience → scopes obtainable for it by token exchange (RFC 8693); empty when none. */
  tokenExchangePolicy: Record<string, string[]>;
  /**
   * The RFC 8707 resources this client serves as a resource server (metadata
   * `resource_identifiers`): it may introspect tokens whose `aud` names one. Empty when none.
   */
  resourceIdentifiers: string[];
  /** PKCE required at the authorization and token endpoints (metadata `require_pkce`, default true; RFC 9700 §2.1.1). */
  requirePkce: boolean;
  /** OIDC RP-Initiated Logout §3.1: the registered `post_logout_redirect_uris`, exact; empty when none. */
  postLogoutRedirectUris: string[];
  clientName?: string;
  /** The registered metadata as stored (RFC 7591 names). */
  metadata: ClientMetadata;
}

/** The endpoints' view of a folded client. */
export function toRegisteredClient(state: ClientState): RegisteredClient {
  const m = state.metadata;
  const policy: Record<string, string[]> = {};
  for (const [audience, scopes] of Object.entries(m.token_exchange_policy ?? {})) policy[audience] = scopes.split(' ');
  return {
    clientId: state.clientId,
    issuedAt: state.issuedAt,
    grantTypes: [...m.grant_types],
    redirectUris: [...m.redirect_uris],
    scopes: m.scope === '' ? [] : m.scope.split(' '),
    tokenEndpointAuthMethod: m.token_endpoint_auth_method,
    accessTokenFormat: m.access_token_format,
    tokenExchangePolicy: policy,
    resourceIdentifiers: [...(m.resource_identifiers ?? [])],
    requirePkce: m.require_pkce !== false,
    postLogoutRedirectUris: [...(m.post_logout_redirect_uris ?? [])],
    ...(m.client_name !== undefined ? { clientName: m.client_name } : {}),
    metadata: m,
  };
}
