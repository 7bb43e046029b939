import { OIDC_SCOPE_CLAIMS } from '@tessera/contracts';

/** Inputs of the discovery document: what this deployment actually implements. */
export interface ServerCapabilities {
  issuer: string;
  scopes: readonly string[];
  grantTypes: readonly string[];
  authMethods: readonly string[];
  /** Algorithms accepted for private_key_jwt client assertions (RFC 8414 §2). */
  authSigningAlgorithms: readonly string[];
  signingAlgorithms: readonly string[];
  /** Claims the scopes of the catalogue require (DESIGN §5), released in tokens and at introspection. */
  scopeClaims?: readonly string[];
}

/** OIDC Core §2 claims of Tessera's ID tokens, and the §5.1 standard claims `profile` and `email` release. */
export const ID_TOKEN_CLAIMS: readonly string[] = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'at_hash',
  'sid',
  ...OIDC_SCOPE_CLAIMS.profile,
  ...OIDC_SCOPE_CLAIMS.email,
];

/**
 * The `acr` values the authentication service sets (its ACR_PASSWORD and
 * ACR_MFA): password only, or password and a second factor.
 */
export const ACR_VALUES: readonly string[] = ['urn:tessera:acr:pwd', 'urn:tessera:acr:mfa'];

/** RFC 8414 §2 authorization server metadata, with the OpenID Connect Discovery 1.0 §3 members. */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  registration_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  userinfo_endpoint: string;
  end_session_endpoint: string;
  scopes_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  revocation_endpoint_auth_signing_alg_values_supported: string[];
  revocation_endpoint_auth_methods_supported: string[];
  introspection_endpoint_auth_methods_supported: string[];
  id_token_signing_alg_values_supported: string[];
  code_challenge_methods_supported: string[];
  authorization_response_iss_parameter_supported: boolean;
  subject_types_supported: string[];
  claims_supported: string[];
  acr_values_supported: string[];
  claims_parameter_supported: boolean;
  request_parameter_supported: boolean;
  request_uri_parameter_supported: boolean;
}

/**
 * Builds the metadata from the issuer (DESIGN §1: the public base URL; the
 * same path layout in every mode, so every endpoint hangs off it).
 */
export function serverMetadata(c: ServerCapabilities): ServerMetadata {
  const at = (path: string) => `${c.issuer}${path}`;
  return {
    issuer: c.issuer,
    authorization_endpoint: at('/oauth/authorize'),
    token_endpoint: at('/oauth/token'),
    jwks_uri: at('/jwks'),
    registration_endpoint: at('/oauth/register'),
    revocation_endpoint: at('/oauth/revoke'),
    introspection_endpoint: at('/oauth/introspect'),
    userinfo_endpoint: at('/userinfo'),
    // OIDC RP-Initiated Logout 1.0 §2.1 (served by the authentication service).
    end_session_endpoint: at('/logout'),
    scopes_supported: [...c.scopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...c.grantTypes],
    token_endpoint_auth_methods_supported: [...c.authMethods],
    token_endpoint_auth_signing_alg_values_supported: [...c.authSigningAlgorithms],
    revocation_endpoint_auth_signing_alg_values_supported: [...c.authSigningAlgorithms],
    // RFC 7009 §2.1: public clients may revoke their own tokens.
    revocation_endpoint_auth_methods_supported: [...c.authMethods],
    // RFC 7662 §2.1: introspection needs an authenticated caller.
    introspection_endpoint_auth_methods_supported: c.authMethods.filter((m) => m !== 'none'),
    id_token_signing_alg_values_supported: [...c.signingAlgorithms],
    // RFC 9700 §2.1.1: PKCE with S256 only; plain is not offered.
    code_challenge_methods_supported: ['S256'],
    // RFC 9207 §3: `iss` in authorization responses (mix-up defence).
    authorization_response_iss_parameter_supported: true,
    subject_types_supported: ['public'],
    claims_supported: [...new Set([...ID_TOKEN_CLAIMS, ...(c.scopeClaims ?? [])])],
    acr_values_supported: [...ACR_VALUES],
    // OIDC Discovery §3: none of the `claims`, `request`, `request_uri` parameters is implemented.
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}
