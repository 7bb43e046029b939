import type { OAuthError } from '@tessera/oauth';

/**
 * The redirect URI with response parameters appended to its query, keeping the
 * registered query (RFC 6749 §3.1.2) and adding `iss` (RFC 9207 §2) always.
 */
export function authorizationResponseUrl(redirectUri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, v);
  // Registered redirect URIs never have a fragment (RFC 6749 §3.1.2, checked at registration).
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query.toString()}`;
}

/** RFC 6749 §4.1.2: the success response. */
export function codeResponseUrl(redirectUri: string, code: string, state: string | undefined, issuer: string): string {
  return authorizationResponseUrl(redirectUri, { code, state, iss: issuer });
}

/** RFC 6749 §4.1.2.1: an error response (`error`, `error_description`, `state`, `iss`). */
export function errorResponseUrl(
  redirectUri: string,
  error: OAuthError,
  state: string | undefined,
  issuer: string,
): string {
  return authorizationResponseUrl(redirectUri, {
    error: error.error,
    error_description: error.description,
    state,
    iss: issuer,
  });
}
