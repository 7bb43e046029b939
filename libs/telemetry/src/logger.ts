import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';

/**
 * The logger every lib and app takes: structurally pino's, so a pino logger
 * fits and libs need no pino import (brief: Logger everywhere).
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** The log levels accepted by `TESSERA_LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number] & LevelWithSilent;

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Bound as `service` on every line. */
  service: string;
  level?: LogLevel;
  /** Where JSON lines go; stdout when absent. Tests pass a stream. */
  destination?: DestinationStream;
}

// Keys whose values are secrets wherever they appear (DESIGN §2: no secret in a log line).
const SECRET_KEYS = [
  'password',
  'passwordHash',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'client_secret',
  'clientSecret',
  'secret',
  'kek',
  'adminToken',
  'admin_token',
  'privateKey',
  'private_key',
  'code_verifier',
  'authorization',
  'cookie',
  'set-cookie',
];

/**
 * Redacted paths: every secret key at the top level and up to three levels
 * down (pino's redaction has no recursive wildcard), plus request headers.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => {
    const k = /^[A-Za-z_]\w*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (k.startsWith('[') ? `${prefix}${k}` : `${prefix}.${k}`);
    return [k, join('*'), join('*.*'), join('*.*.*')];
  }),
  'headers["x-admin-token"]',
  '*.headers["x-admin-token"]',
];

/** A pino JSON logger with secrets redacted (censored as `[redacted]`). */
export function createLogger(opts: LoggerOptions): pino.Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
  };
  // Synchronous stdout: lines keep their order with other stdout output and survive process.exit.
  return pino(options, opts.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** `trace_id`/`span_id` of the span active now (DESIGN §1: JSON logs with trace ids); nothing outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/** A logger that drops everything (libs use it when given none). */
export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
