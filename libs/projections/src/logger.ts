/**
 * The pino-compatible logger shape libs accept. Declared structurally here
 * until libs/telemetry exports it (brief: no import before it lands).
 */
export interface ProjectionLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** A logger that drops everything (used when the caller gives none). */
export const silentLogger: ProjectionLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
