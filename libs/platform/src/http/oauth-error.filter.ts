import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { ConcurrencyError, IllegalStateError, NotFoundError } from '@tessera/event-store';
import {
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTokenError,
  OAuthError,
} from '@tessera/oauth';

/** What the filter sends: status, headers and the RFC 6749 §5.2 body. */
export interface OAuthErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description?: string };
}

/**
 * Streams whose concurrent use means a replayed grant (DESIGN §2: single use
 * comes from the log): codes and refresh families only. An access token's
 * stream moves with exchanges and revocations, where a lost race is
 * `invalid_request` (RFC 8693 §2.2.2; RFC 7009 has no invalid_grant).
 */
const SINGLE_USE_STREAMS = /^(refreshfamily|authcode|code)-/;

/** Maps an OAuth or domain error to its response (pure, so it is unit-tested without HTTP). */
export function oauthErrorResponse(
  exception: OAuthError | ConcurrencyError | NotFoundError | IllegalStateError,
): OAuthErrorResponse {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  let error: OAuthError | { status: number; body: OAuthErrorResponse['body'] };
  if (exception instanceof OAuthError) {
    error = exception;
  } else if (exception instanceof ConcurrencyError) {
    // The loser of a race: a single-use grant was used twice, anything else can be retried.
    error = SINGLE_USE_STREAMS.test(exception.streamId)
      ? new InvalidGrantError('the grant was used concurrently')
      : new InvalidRequestError('concurrent modification; retry the request');
  } else if (exception instanceof NotFoundError) {
    error = { status: 404, body: { error: 'not_found', error_description: exception.message } };
  } else {
    error = new InvalidRequestError(exception.message);
  }
  if (error instanceof InvalidClientError && error.basicChallenge) {
    // RFC 6749 §5.2: 401 with the scheme the client used.
    headers['WWW-Authenticate'] = 'Basic realm="tessera"';
  }
  if (error instanceof InvalidTokenError) {
    // RFC 6750 §3.1
    headers['WWW-Authenticate'] = 'Bearer realm="tessera", error="invalid_token"';
  }
  if (error instanceof OAuthError) return { status: error.status, headers, body: error.toJSON() };
  return { status: error.status, headers, body: error.body };
}

/**
 * The token service's exception filter (STYLE 8): OAuth errors become
 * `{error, error_description}` with the RFC status and `no-store`; domain
 * errors map to a sensible OAuth error, never a 500. Anything else falls
 * through to the platform's bare `server_error`. Apply with `@UseFilters`
 * on controllers so that it wins over the global catch-all.
 */
@Catch(OAuthError, ConcurrencyError, NotFoundError, IllegalStateError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: OAuthError | ConcurrencyError | NotFoundError | IllegalStateError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{
      status(code: number): unknown;
      header(name: string, value: string): unknown;
      send(body: unknown): unknown;
    }>();
    const { status, headers, body } = oauthErrorResponse(exception);
    reply.status(status);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.send(body);
  }
}
