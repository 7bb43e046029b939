import type { AuthorizationRequestReceivedData } from '@tessera/contracts';
import {
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  isResourceIdentifier,
  type OAuthError,
  parseScope,
  UnauthorizedClientError,
} from '@tessera/oauth';
import {
  RequestNotSupportedError,
  RequestUriNotSupportedError,
  UnsupportedResponseTypeError,
} from './authorize.errors';

/** The query (GET) or form (POST) parameters of an authorization request; repeated keys arrive as arrays. */
export type AuthorizeParams = Readonly<Record<string, string | string[] | undefined>>;

/** What the validator needs to know about the client (from `RegisteredClient`). */
export interface AuthorizeClient {
  clientId: string;
  grantTypes: readonly string[];
  responseTypes: readonly string[];
  redirectUris: readonly string[];
  /** Scopes the client may request. */
  scopes: readonly string[];
  /** True for `token_endpoint_auth_method: none` (RFC 6749 §2.1). */
  isPublic: boolean;
  /** Registered `require_pkce` (default true; ignored for public clients). */
  requirePkce: boolean;
}

/** The request cannot be trusted to redirect: show an HTML error page (RFC 6749 §4.1.2.1 first paragraph). */
export interface ErrorPageOutcome {
  kind: 'error-page';
  message: string;
}

/** An error to send to the (valid) redirect URI (RFC 6749 §4.1.2.1). */
export interface RedirectErrorOutcome {
  kind: 'redirect-error';
  redirectUri: string;
  state?: string;
  error: OAuthError;
}

/** A valid request, ready to be recorded. */
export interface ValidRequestOutcome {
  kind: 'valid';
  request: AuthorizationRequestReceivedData;
}

/** The outcome of validating an authorization request. */
export type AuthorizeValidation = ErrorPageOutcome | RedirectErrorOutcome | ValidRequestOutcome;

/** Lifetime of a stored authorization request (brief 5: 10 minutes). */
export const AUTHORIZATION_REQUEST_TTL_MS = 10 * 60 * 1000;

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
// RFC 7636 §4.2: S256 challenges are BASE64URL(SHA-256(verifier)), 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_PARAM_LENGTH = 2048;
// RFC 8707 §2: `resource` is the one parameter that may be repeated.
const REPEATABLE = new Set(['resource']);
const MAX_RESOURCES = 10;

/** One value of a parameter; arrays mean it was repeated (RFC 6749 §3.1: MUST NOT be). */
function single(params: AuthorizeParams, name: string): string | undefined | null {
  const v = params[name];
  if (Array.isArray(v)) return null;
  return v === undefined || v === '' ? undefined : v;
}

/**
 * RFC 6749 §4.1.1 / §3.1.2, RFC 7636 §4.3, OIDC Core §3.1.2.1-2: validates an
 * authorization request. Client and redirect URI come first: until both are
 * known good, nothing redirects (RFC 6749 §4.1.2.1, RFC 9700 §4.1: exact string
 * match, no normalisation). Pure: the client is looked up and the clock read by the caller.
 */
export function validateAuthorizationRequest(
  params: AuthorizeParams,
  client: AuthorizeClient | null,
  requestId: string,
  now: Date,
): AuthorizeValidation {
  const clientId = single(params, 'client_id');
  if (clientId === null) return page('client_id was given more than once.');
  if (clientId === undefined) return page('The request has no client_id.');
  if (client === null || client.clientId !== clientId) return page('The client is unknown.');

  const redirectUri = single(params, 'redirect_uri');
  if (redirectUri === null) return page('redirect_uri was given more than once.');
  // Required even with one registered URI: OIDC Core §3.1.2.1, and the token endpoint compares it (RFC 6749 §4.1.3).
  if (redirectUri === undefined) return page('The request has no redirect_uri.');
  if (!client.redirectUris.includes(redirectUri)) return page('The redirect_uri is not registered for this client.');

  const rawState = single(params, 'state');
  const state = typeof rawState === 'string' ? rawState : undefined;
  const fail = (error: OAuthError): RedirectErrorOutcome => ({
    kind: 'redirect-error',
    redirectUri,
    ...(state !== undefined ? { state } : {}),
    error,
  });

  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value) && !REPEATABLE.has(name)) {
      return fail(new InvalidRequestError(`${name} was given more than once`));
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && v.length > MAX_PARAM_LENGTH)
        return fail(new InvalidRequestError(`${name} is too long`));
    }
  }
  // Past the loop above, no other parameter is repeated.
  const one = (name: string): string | undefined => single(params, name) ?? undefined;
  if (params.request !== undefined) return fail(new RequestNotSupportedError('request objects are not supported'));
  if (params.request_uri !== undefined) return fail(new RequestUriNotSupportedError('request_uri is not supported'));

  const responseType = one('response_type');
  if (responseType === undefined) return fail(new InvalidRequestError('response_type is required'));
  if (responseType !== 'code') return fail(new UnsupportedResponseTypeError('only response_type=code is supported'));
  if (!client.grantTypes.includes('authorization_code') || !client.responseTypes.includes('code')) {
    return fail(new UnauthorizedClientError('the client is not registered for the authorization code grant'));
  }
  const responseMode = one('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') {
    return fail(new InvalidRequestError('only response_mode=query is supported'));
  }

  const scopes = parseScope(one('scope') ?? '');
  if (scopes === null) return fail(new InvalidScopeError('scope is malformed'));
  if (scopes.length === 0) return fail(new InvalidScopeError('scope is required'));
  // `openid` only asks for an ID token: any code-flow client may request it.
  const notAllowed = scopes.filter((s) => s !== 'openid' && !client.scopes.includes(s));
  if (notAllowed.length > 0)
    return fail(new InvalidScopeError(`scope not allowed for this client: ${notAllowed.join(' ')}`));

  // RFC 7636 §4.3: a missing method means `plain`, which RFC 9700 §2.1.1 rules out.
  const challenge = one('code_challenge');
  const method = one('code_challenge_method');
  const pkceRequired = client.isPublic || client.requirePkce;
  if (challenge === undefined) {
    if (method !== undefined) return fail(new InvalidRequestError('code_challenge_method without code_challenge'));
    if (pkceRequired) return fail(new InvalidRequestError('code_challenge (PKCE, S256) is required'));
  } else {
    if (method !== 'S256') return fail(new InvalidRequestError('code_challenge_method must be S256'));
    if (!S256_CHALLENGE.test(challenge)) return fail(new InvalidRequestError('code_challenge is malformed'));
  }

  const prompt = one('prompt');
  let prompts: string[] = [];
  if (prompt !== undefined) {
    prompts = prompt.split(' ');
    if (!prompts.every((p) => PROMPTS.has(p))) return fail(new InvalidRequestError('prompt has an unknown value'));
    // OIDC Core §3.1.2.1: `none` with any other value is an error.
    if (prompts.includes('none') && prompts.length > 1) {
      return fail(new InvalidRequestError('prompt=none cannot be combined with other values'));
    }
  }

  const rawMaxAge = one('max_age');
  let maxAge: number | undefined;
  if (rawMaxAge !== undefined) {
    maxAge = /^\d{1,9}$/.test(rawMaxAge) ? Number(rawMaxAge) : NaN;
    if (Number.isNaN(maxAge)) return fail(new InvalidRequestError('max_age must be a non-negative integer'));
  }
  const nonce = one('nonce');

  // RFC 8707 §2: each resource an absolute URI without a fragment, else invalid_target (§2, error response).
  const rawResources = params.resource;
  const resources = [
    ...new Set((Array.isArray(rawResources) ? rawResources : [rawResources ?? '']).filter((r) => r !== '')),
  ];
  if (resources.length > MAX_RESOURCES) return fail(new InvalidTargetError('too many resource parameters'));
  if (!resources.every(isResourceIdentifier)) {
    return fail(new InvalidTargetError('resource must be an absolute URI without a fragment (RFC 8707 §2)'));
  }

  return {
    kind: 'valid',
    request: {
      requestId,
      clientId,
      redirectUri,
      scope: scopes.join(' '),
      ...(state !== undefined ? { state } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
      ...(challenge !== undefined ? { codeChallenge: challenge, codeChallengeMethod: 'S256' as const } : {}),
      ...(prompts.length > 0 ? { prompt: prompts.join(' ') } : {}),
      ...(maxAge !== undefined ? { maxAge } : {}),
      ...(resources.length > 0 ? { resources } : {}),
      receivedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + AUTHORIZATION_REQUEST_TTL_MS).toISOString(),
    },
  };
}

function page(message: string): ErrorPageOutcome {
  return { kind: 'error-page', message };
}
