import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from '@tessera/telemetry';
import { LOGGER } from '../tokens';

/**
 * Anything unknown, and any 5xx, leaves as a bare `{"error":"server_error"}`
 * (RFC 6749 §4.1.2.1's code; STYLE: node-oidc-provider) with the details in
 * the log only. Client errors (4xx) leave in the RFC 6749 §5.2 shape: a body
 * that already names an OAuth error code keeps it; any other (Fastify's body
 * parsing, Nest's built-in exceptions) becomes `invalid_request` (404:
 * `not_found`) with its message as the description.
 */
@Catch()
export class ServerErrorFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse<unknown>();
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      httpAdapter.reply(response, clientErrorBody(exception), exception.getStatus());
      return;
    }
    this.logger.error({ err: exception }, 'unhandled error');
    httpAdapter.reply(response, { error: 'server_error' }, 500);
  }
}

/** An OAuth error code: lower-case words joined by underscores (RFC 6749 §5.2). */
const OAUTH_ERROR_CODE = /^[a-z]+(_[a-z]+)*$/;

function clientErrorBody(exception: HttpException): object {
  const body = exception.getResponse();
  if (typeof body === 'object' && body !== null && OAUTH_ERROR_CODE.test(String((body as { error?: unknown }).error))) {
    return body;
  }
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  const description = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
  const error = exception.getStatus() === 404 ? 'not_found' : 'invalid_request';
  return { error, error_description: description };
}
