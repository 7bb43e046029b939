import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from '@tessera/telemetry';
import { LOGGER } from '../tokens';

/**
 * Anything unknown, and any 5xx, leaves as a bare `{"error":"server_error"}`
 * (RFC 6749 §4.1.2.1's code; STYLE: node-oidc-provider) with the details in
 * the log only. Client errors (4xx) keep their HttpException body.
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
      const body = exception.getResponse();
      httpAdapter.reply(response, typeof body === 'string' ? { message: body } : body, exception.getStatus());
      return;
    }
    this.logger.error({ err: exception }, 'unhandled error');
    httpAdapter.reply(response, { error: 'server_error' }, 500);
  }
}
