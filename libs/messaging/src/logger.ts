/**
 * The structural, pino-compatible logger the messaging lib accepts (the brief's
 * `Logger` contract); declared locally so the lib does not depend on telemetry.
 */
export interface MessagingLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** A logger that drops everything (used when none is given). */
export const noopLogger: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
