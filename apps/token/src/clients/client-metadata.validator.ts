import type { AccessTokenFormat, ClientMetadata, PublicJwk, TokenEndpointAuthMethod } from '@tessera/contracts';
import { InvalidClientMetadataError, InvalidRedirectUriError, isResourceIdentifier, parseScope } from '@tessera/oauth';

/** RFC 8693 §2.1 grant type. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The grant types a client may register for. */
export const SUPPORTED_GRANT_TYPES: readonly string[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  TOKEN_EXCHANGE_GRANT,
];

/** The token endpoint authentication methods Tessera implements (issue 3 §1). */
export const SUPPORTED_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];

/** Whether a client of this method holds a client secret (the others: keys, or nothing). */
export function usesClientSecret(method: TokenEndpointAuthMethod): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post';
}

// JWK members that carry private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const ASYMMETRIC_KTYS = new Set(['EC', 'RSA', 'OKP']);
const MAX_JWKS_KEYS = 10;

const ACCESS_TOKEN_FORMATS: readonly AccessTokenFormat[] = ['reference', 'jwt'];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_REDIRECT_URIS = 20;
const MAX_RESOURCE_IDENTIFIERS = 20;
const MAX_STRING = 2000;

function fail(description: string): never {
  throw new InvalidClientMetadataError(description);
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_STRING)) {
    fail(`${field} must be an array of non-empty strings`);
  }
  if (new Set(value).size !== value.length) fail(`${field} has duplicate entries`);
  return [...(value as string[])];
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_STRING) fail(`${field} must be a string`);
  return value;
}

/** RFC 7591 §2, RFC 8252 §7.3/§8.3, RFC 9700 §2.1: exact string, https or http on loopback, no fragment. */
export function checkRedirectUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidRedirectUriError(`redirect URI is not an absolute URI: ${uri}`);
  }
  if (uri.includes('#')) throw new InvalidRedirectUriError(`redirect URI must not have a fragment: ${uri}`);
  if (url.username || url.password)
    throw new InvalidRedirectUriError(`redirect URI must not carry credentials: ${uri}`);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  throw new InvalidRedirectUriError(`redirect URI must be https, or http on a loopback address: ${uri}`);
}

function grantTypesOf(body: Record<string, unknown>): string[] {
  // RFC 7591 §2: default ["authorization_code"].
  const grantTypes =
    body.grant_types === undefined ? ['authorization_code'] : stringList(body.grant_types, 'grant_types');
  if (grantTypes.length === 0) fail('grant_types must not be empty');
  const unsupported = grantTypes.filter((g) => !SUPPORTED_GRANT_TYPES.includes(g));
  if (unsupported.length > 0) fail(`unsupported grant_types: ${unsupported.join(', ')}`);
  return grantTypes;
}

function responseTypesOf(body: Record<string, unknown>, grantTypes: string[]): string[] {
  const code = grantTypes.includes('authorization_code');
  // RFC 7591 §2: default ["code"]; §2.1: response types and grant types must agree.
  const responseTypes =
    body.response_types === undefined ? (code ? ['code'] : []) : stringList(body.response_types, 'response_types');
  if (responseTypes.some((r) => r !== 'code')) fail('only the "code" response type is supported');
  if (code !== responseTypes.includes('code')) {
    fail('response_types "code" goes with grant type authorization_code, and only with it');
  }
  return responseTypes;
}

function redirectUrisOf(body: Record<string, unknown>, grantTypes: string[]): string[] {
  const needsRedirect = grantTypes.includes('authorization_code');
  if (body.redirect_uris === undefined) {
    if (needsRedirect) throw new InvalidRedirectUriError('redirect_uris is required for authorization_code');
    return [];
  }
  if (!Array.isArray(body.redirect_uris) || !body.redirect_uris.every((u) => typeof u === 'string')) {
    throw new InvalidRedirectUriError('redirect_uris must be an array of strings');
  }
  const uris = body.redirect_uris as string[];
  if (needsRedirect && uris.length === 0) throw new InvalidRedirectUriError('redirect_uris must not be empty');
  if (!needsRedirect && uris.length > 0) {
    throw new InvalidRedirectUriError('redirect_uris are only for clients of the authorization_code grant');
  }
  if (uris.length > MAX_REDIRECT_URIS) throw new InvalidRedirectUriError('too many redirect_uris');
  if (new Set(uris).size !== uris.length) throw new InvalidRedirectUriError('redirect_uris has duplicate entries');
  uris.forEach(checkRedirectUri);
  return [...uris];
}

function authMethodOf(body: Record<string, unknown>, grantTypes: string[]): TokenEndpointAuthMethod {
  const method = body.token_endpoint_auth_method ?? 'client_secret_basic';
  if (typeof method !== 'string' || !SUPPORTED_AUTH_METHODS.includes(method as TokenEndpointAuthMethod)) {
    fail(`token_endpoint_auth_method must be one of ${SUPPORTED_AUTH_METHODS.join(', ')}`);
  }
  if (method === 'none' && grantTypes.includes('client_credentials')) {
    fail('a public client (token_endpoint_auth_method "none") cannot use client_credentials');
  }
  if (method !== 'private_key_jwt' && (body.jwks !== undefined || body.jwks_uri !== undefined)) {
    fail('jwks and jwks_uri are only for private_key_jwt');
  }
  return method as TokenEndpointAuthMethod;
}

/** RFC 7591 §2: inline public keys; private members and symmetric keys are refused. */
function jwksOf(value: unknown): { keys: PublicJwk[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('jwks must be a JWK Set object');
  const keys = (value as Record<string, unknown>).keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_JWKS_KEYS) {
    fail(`jwks.keys must be an array of 1 to ${MAX_JWKS_KEYS} keys`);
  }
  const result = keys.map((key): PublicJwk => {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) fail('jwks.keys must hold JWK objects');
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== 'string' || !ASYMMETRIC_KTYS.has(jwk.kty)) fail('jwks keys must be EC, RSA or OKP keys');
    if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) fail('jwks must hold public keys only (no private members)');
    if (JSON.stringify(jwk).length > 8192) fail('a jwks key is too large');
    return { ...jwk, kty: jwk.kty };
  });
  return { keys: result };
}

/** RFC 7591 §2: https, or http on a loopback address (local development and tests). */
function jwksUriOf(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_STRING) fail('jwks_uri must be a string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail('jwks_uri must be an absolute URL');
  }
  if (url.username || url.password || value.includes('#')) fail('jwks_uri must not carry credentials or a fragment');
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopback) fail('jwks_uri must be https (or http on a loopback address)');
  return value;
}

/** private_key_jwt needs exactly one of `jwks` and `jwks_uri` (RFC 7591 §2: MUST NOT both). */
function keysOf(
  body: Record<string, unknown>,
  method: TokenEndpointAuthMethod,
): Pick<ClientMetadata, 'jwks' | 'jwks_uri'> {
  if (method !== 'private_key_jwt') return {};
  const hasJwks = body.jwks !== undefined;
  const hasUri = body.jwks_uri !== undefined;
  if (hasJwks === hasUri) fail('private_key_jwt needs exactly one of jwks and jwks_uri');
  return hasJwks ? { jwks: jwksOf(body.jwks) } : { jwks_uri: jwksUriOf(body.jwks_uri) };
}

/** Tessera's `resource_identifiers`: distinct RFC 8707 resources the client serves as a resource server. */
function resourceIdentifiersOf(value: unknown): string[] {
  const list = stringList(value, 'resource_identifiers');
  if (list.length > MAX_RESOURCE_IDENTIFIERS) fail('too many resource_identifiers');
  const bad = list.find((r) => !isResourceIdentifier(r));
  if (bad !== undefined) fail(`resource_identifiers must be absolute URIs without a fragment (RFC 8707 §2): ${bad}`);
  return list;
}

/** OIDC RP-Initiated Logout 1.0 §3.1: exact URIs under the redirect URI rules, for code-flow clients only. */
function postLogoutRedirectUrisOf(value: unknown, grantTypes: string[]): string[] {
  if (!grantTypes.includes('authorization_code')) {
    fail('post_logout_redirect_uris are only for clients of the authorization_code grant');
  }
  const uris = stringList(value, 'post_logout_redirect_uris');
  if (uris.length > MAX_REDIRECT_URIS) fail('too many post_logout_redirect_uris');
  for (const uri of uris) {
    try {
      checkRedirectUri(uri);
    } catch (err) {
      fail(`post_logout_redirect_uris: ${(err as Error).message}`);
    }
  }
  return uris;
}

/** RFC 9700 §2.1.1: PKCE may be waived only for a confidential client that asks; never for a public one. */
function requirePkceOf(value: unknown, method: TokenEndpointAuthMethod): boolean {
  if (typeof value !== 'boolean') fail('require_pkce must be a boolean');
  if (!value && method === 'none') fail('a public client always uses PKCE: require_pkce cannot be false');
  return value;
}

function scopeOf(body: Record<string, unknown>): string {
  if (body.scope === undefined) return '';
  const tokens = parseScope(body.scope);
  if (tokens === null) fail('scope must be a space-separated list of scope tokens (RFC 6749 §3.3)');
  return tokens.join(' ');
}

function accessTokenFormatOf(body: Record<string, unknown>): AccessTokenFormat {
  const format = body.access_token_format ?? 'reference';
  if (!ACCESS_TOKEN_FORMATS.includes(format as AccessTokenFormat)) {
    fail(`access_token_format must be "reference" or "jwt"`);
  }
  return format as AccessTokenFormat;
}

function tokenExchangePolicyOf(
  body: Record<string, unknown>,
  grantTypes: string[],
): Record<string, string> | undefined {
  const policy = body.token_exchange_policy;
  if (policy === undefined) return undefined;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    fail('token_exchange_policy must be an object: audience → space-separated scopes');
  }
  if (!grantTypes.includes(TOKEN_EXCHANGE_GRANT)) {
    fail(`token_exchange_policy requires the grant type ${TOKEN_EXCHANGE_GRANT}`);
  }
  const result: Record<string, string> = {};
  for (const [audience, scopes] of Object.entries(policy as Record<string, unknown>)) {
    if (audience.length === 0 || audience.length > MAX_STRING) fail('token_exchange_policy has an empty audience');
    const tokens = parseScope(scopes);
    if (tokens === null || tokens.length === 0) {
      fail(`token_exchange_policy["${audience}"] must be a non-empty space-separated scope list`);
    }
    result[audience] = tokens.join(' ');
  }
  return result;
}

/**
 * Who may declare `resource_identifiers`, which let a client introspect other
 * clients' tokens: the registration (guarded by the initial access token) sets
 * them; an RFC 7592 update, authorised by the client's own registration access
 * token, may drop some but never add one. No client may claim the issuer: it is
 * the audience of every token not issued for a resource (RFC 8707 §2).
 */
export function checkResourceIdentifiers(metadata: ClientMetadata, issuer: string, before?: ClientMetadata): void {
  const claimed = metadata.resource_identifiers ?? [];
  const self = normalised(issuer);
  if (claimed.some((r) => normalised(r) === self)) fail('resource_identifiers must not name the issuer');
  if (before === undefined) return;
  const allowed = new Set(before.resource_identifiers ?? []);
  const added = claimed.filter((r) => !allowed.has(r));
  if (added.length > 0) fail(`resource_identifiers can only be added at registration: ${added.join(', ')}`);
}

function normalised(uri: string): string {
  try {
    return new URL(uri).href;
  } catch {
    return uri;
  }
}

/**
 * Validates RFC 7591 client metadata and applies its defaults (§2). Unknown
 * fields are ignored (§2); a bad value throws `invalid_client_metadata`, a
 * bad redirect URI `invalid_redirect_uri` (§3.2.2).
 */
export function validateClientMetadata(body: unknown): ClientMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const grantTypes = grantTypesOf(b);
  const metadata: ClientMetadata = {
    grant_types: grantTypes,
    response_types: responseTypesOf(b, grantTypes),
    redirect_uris: redirectUrisOf(b, grantTypes),
    scope: scopeOf(b),
    token_endpoint_auth_method: authMethodOf(b, grantTypes),
    access_token_format: accessTokenFormatOf(b),
  };
  const clientName = optionalString(b, 'client_name');
  if (clientName !== undefined) metadata.client_name = clientName;
  const policy = tokenExchangePolicyOf(b, grantTypes);
  if (policy !== undefined) metadata.token_exchange_policy = policy;
  Object.assign(metadata, keysOf(b, metadata.token_endpoint_auth_method));
  if (b.resource_identifiers !== undefined)
    metadata.resource_identifiers = resourceIdentifiersOf(b.resource_identifiers);
  if (b.post_logout_redirect_uris !== undefined) {
    metadata.post_logout_redirect_uris = postLogoutRedirectUrisOf(b.post_logout_redirect_uris, grantTypes);
  }
  // Absent means true (ClientMetadata): only an explicit waiver is stored.
  if (b.require_pkce !== undefined)
    metadata.require_pkce = requirePkceOf(b.require_pkce, metadata.token_endpoint_auth_method);
  return metadata;
}
