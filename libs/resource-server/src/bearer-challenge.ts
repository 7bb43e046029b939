import { InvalidRequestError, type OAuthError } from '@tessera/oauth';
import { InsufficientScopeError } from './insufficient-scope.error';

/** RFC 6750 §2.1: `Bearer` followed by a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
/** RFC 6750 §3: attribute values are limited to %x20-21 / %x23-5B / %x5D-7E. */
const NOT_QUOTABLE = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;

/**
 * The bearer token of an `Authorization` header (RFC 6750 §2.1); null when
 * there is none (no header, or another scheme); `InvalidRequestError` when
 * it is malformed or repeated.
 */
export function extractBearerToken(authorization: string | readonly string[] | undefined): string | null {
  if (authorization === undefined || authorization === '') return null;
  if (typeof authorization !== 'string') throw new InvalidRequestError('more than one Authorization header');
  if (!/^Bearer(\s|$)/i.test(authorization)) return null;
  const match = BEARER.exec(authorization);
  if (!match) throw new InvalidRequestError('malformed bearer token');
  return match[1];
}

/** An HTTP answer to a refused request: status, `WWW-Authenticate` (when any) and a JSON body. */
export interface BearerChallenge {
  /** 400, 401, 403, or 500 when the issuer's keys were unavailable. */
  status: number;
  /** The RFC 6750 §3 challenge; absent for a server error. */
  wwwAuthenticate?: string;
  /** `{ error, error_description }`; empty when no token was presented (RFC 6750 §3.1). */
  body: { error?: string; error_description?: string };
}

/**
 * RFC 6750 §3: the answer for a missing token (`error` null: a bare challenge,
 * no error code), an invalid one, a malformed request or insufficient scope.
 */
export function bearerChallenge(error: OAuthError | null, realm?: string): BearerChallenge {
  const params: string[] = realm ? [`realm=${quoted(realm)}`] : [];
  if (error === null) return { status: 401, wwwAuthenticate: challenge(params), body: {} };
  const body = error.toJSON();
  if (error.status >= 500) return { status: error.status, body: { error: body.error } };
  params.push(`error=${quoted(error.error)}`);
  if (error.description) params.push(`error_description=${quoted(error.description)}`);
  if (error instanceof InsufficientScopeError && error.requiredScopes.length > 0) {
    params.push(`scope=${quoted(error.requiredScopes.join(' '))}`);
  }
  return { status: error.status, wwwAuthenticate: challenge(params), body };
}

function challenge(params: readonly string[]): string {
  return params.length > 0 ? `Bearer ${params.join(', ')}` : 'Bearer';
}

function quoted(value: string): string {
  return `"${value.replace(NOT_QUOTABLE, '')}"`;
}
