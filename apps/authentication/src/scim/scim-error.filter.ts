import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { ConcurrencyError, IllegalStateError, NotFoundError } from '@tessera/event-store';
import { LOGGER } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { PasswordPolicyError, UserNameTakenError, VersionMismatchError } from '../users/user.errors';
import { ScimError } from './scim.error';
import { SCIM_CONTENT_TYPE, SCIM_ERROR_SCHEMA } from './scim.schemas';

/** The SCIM error an exception becomes (pure, so it is unit-tested without HTTP); undefined for a 5xx. */
export function scimErrorOf(exception: unknown): ScimError | undefined {
  if (exception instanceof ScimError) return exception;
  if (exception instanceof PasswordPolicyError) return ScimError.invalidValue(exception.message);
  if (exception instanceof UserNameTakenError) return new ScimError(409, 'uniqueness', exception.message);
  // RFC 7644 §3.14: a stale If-Match.
  if (exception instanceof VersionMismatchError) return new ScimError(412, undefined, exception.message);
  if (exception instanceof NotFoundError) return new ScimError(404, undefined, 'resource not found');
  if (exception instanceof ConcurrencyError) {
    return new ScimError(409, undefined, 'the resource was modified concurrently; retry the request');
  }
  if (exception instanceof IllegalStateError) return ScimError.invalidValue(exception.message);
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const detail =
      typeof body === 'object' && body !== null
        ? String(
            (body as { error_description?: unknown; message?: unknown }).error_description ??
              (body as { message?: unknown }).message ??
              exception.message,
          )
        : String(body);
    return new ScimError(status, status === 400 ? 'invalidSyntax' : undefined, detail);
  }
  // Fastify's body errors (bad JSON, 413, 415) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new ScimError(statusCode, statusCode === 400 ? 'invalidSyntax' : undefined, (exception as Error).message);
  }
  return undefined;
}

/**
 * The SCIM routes' exception filter (RFC 7644 §3.12, STYLE 8): every error
 * leaves as `urn:ietf:params:scim:api:messages:2.0:Error` with `status` (a
 * string), `scimType` and `detail`; a 5xx says nothing more than that it failed.
 */
@Catch()
export class ScimErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{
      status(code: number): unknown;
      header(name: string, value: string): unknown;
      send(body: unknown): unknown;
    }>();
    let error = scimErrorOf(exception);
    if (error === undefined) {
      this.logger.error({ err: exception }, 'unhandled error in SCIM');
      error = new ScimError(500, undefined, 'internal server error');
    }
    reply.status(error.status);
    reply.header('Content-Type', SCIM_CONTENT_TYPE);
    reply.header('Cache-Control', 'no-store');
    reply.send({
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(error.status),
      ...(error.scimType !== undefined ? { scimType: error.scimType } : {}),
      detail: error.detail,
    });
  }
}
