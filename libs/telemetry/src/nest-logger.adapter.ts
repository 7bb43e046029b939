import type { LoggerService } from '@nestjs/common';
import type pino from 'pino';

// Nest's own start-up chatter (module and route wiring) is debug detail, not operations news.
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Adapts Nest's LoggerService calls to a pino logger, keeping the context as a field. */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: pino.Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const { context } = split(params);
    const level = context && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info';
    this.write(level, message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: pino.Level, message: unknown, params: unknown[]): void {
    const { context, stack } = split(params);
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
      return;
    }
    if (stack) fields.stack = stack;
    if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as object) });
      return;
    }
    this.logger[level](fields, String(message));
  }
}

// Nest passes (message, stack?, context?) to error and (message, context?) elsewhere.
function split(params: unknown[]): { context?: string; stack?: string } {
  const strings = params.filter((p): p is string => typeof p === 'string');
  if (strings.length >= 2) return { stack: strings[0], context: strings[strings.length - 1] };
  if (strings.length === 1) {
    return strings[0].includes('\n    at ') ? { stack: strings[0] } : { context: strings[0] };
  }
  return {};
}
