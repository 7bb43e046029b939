import { OAuthError } from '@tessera/oauth';

// Authorization-endpoint error codes that libs/oauth does not define (RFC 6749
// §4.1.2.1, OIDC Core §3.1.2.6, §6.1); they travel to the redirect URI.

/** RFC 6749 §4.1.2.1: the server does not support this response_type. */
export class UnsupportedResponseTypeError extends OAuthError {
  readonly error = 'unsupported_response_type';
}

/** RFC 6749 §4.1.2.1: the resource owner or the server denied the request. */
export class AccessDeniedError extends OAuthError {
  readonly error = 'access_denied';
}

/** OIDC Core §3.1.2.6: `prompt=none` but the user must sign in. */
export class LoginRequiredError extends OAuthError {
  readonly error = 'login_required';
}

/** OIDC Core §3.1.2.6: `prompt=none` but the user must consent. */
export class ConsentRequiredError extends OAuthError {
  readonly error = 'consent_required';
}

/** OIDC Core §6.1: the `request` parameter is not supported. */
export class RequestNotSupportedError extends OAuthError {
  readonly error = 'request_not_supported';
}

/** OIDC Core §6.2: the `request_uri` parameter is not supported. */
export class RequestUriNotSupportedError extends OAuthError {
  readonly error = 'request_uri_not_supported';
}
