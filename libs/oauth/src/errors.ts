/**
 * One class per OAuth error code (STYLE 8). Protocol code throws these;
 * each app's exception filter turns them into the RFC's JSON error response.
 */
export abstract class OAuthError extends Error {
  /** The RFC error code, e.g. `invalid_request`. */
  abstract readonly error: string;
  /** The HTTP status the RFC prescribes for it. */
  readonly status: number = 400;

  constructor(readonly description?: string) {
    super(description);
  }

  /** The response body (RFC 6749 §5.2). */
  toJSON(): { error: string; error_description?: string } {
    return this.description ? { error: this.error, error_description: this.description } : { error: this.error };
  }
}

/** RFC 6749 §5.2: missing, repeated or malformed parameter. */
export class InvalidRequestError extends OAuthError {
  readonly error = 'invalid_request';
}

/** RFC 6749 §5.2: client authentication failed (401). */
export class InvalidClientError extends OAuthError {
  readonly error = 'invalid_client';
  override readonly status = 401;
  constructor(
    description?: string,
    /** Set when the client tried HTTP Basic: the response then carries WWW-Authenticate. */
    readonly basicChallenge = false,
  ) {
    super(description);
  }
}

/** RFC 6749 §5.2: the grant (code, refresh token, subject token…) is invalid, expired or revoked. */
export class InvalidGrantError extends OAuthError {
  readonly error = 'invalid_grant';
}

/** RFC 6749 §5.2: the client may not use this grant type. */
export class UnauthorizedClientError extends OAuthError {
  readonly error = 'unauthorized_client';
}

/** RFC 6749 §5.2: the grant type is not supported. */
export class UnsupportedGrantTypeError extends OAuthError {
  readonly error = 'unsupported_grant_type';
}

/** RFC 6749 §5.2: the requested scope is invalid, unknown or exceeds what is allowed. */
export class InvalidScopeError extends OAuthError {
  readonly error = 'invalid_scope';
}

/** RFC 8707 §2: the requested resource or audience is not allowed. */
export class InvalidTargetError extends OAuthError {
  readonly error = 'invalid_target';
}

/** RFC 7009 §2.2.1: the token type is not supported for revocation. */
export class UnsupportedTokenTypeError extends OAuthError {
  readonly error = 'unsupported_token_type';
}

/** RFC 7591 §3.2.2: a client metadata value is invalid. */
export class InvalidClientMetadataError extends OAuthError {
  readonly error = 'invalid_client_metadata';
}

/** RFC 7591 §3.2.2: a redirect URI is invalid. */
export class InvalidRedirectUriError extends OAuthError {
  readonly error = 'invalid_redirect_uri';
}

/** RFC 6750 §3.1: the access token (e.g. the initial access token) is missing, invalid or expired (401). */
export class InvalidTokenError extends OAuthError {
  readonly error = 'invalid_token';
  override readonly status = 401;
}

/** Anything unexpected: goes out as a bare `server_error` (no details). */
export class ServerError extends OAuthError {
  readonly error = 'server_error';
  override readonly status = 500;
}
