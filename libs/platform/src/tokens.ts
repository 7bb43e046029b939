/** Injection token of the loaded `TesseraConfig`. */
export const CONFIG = Symbol('tessera:config');
/** Injection token of the process's `Logger` (pino). */
export const LOGGER = Symbol('tessera:logger');
/** Injection token of the prom-client `Registry` served on /metrics. */
export const METRICS = Symbol('tessera:metrics');
/** Injection token of the process's OpenTelemetry `Tracer` (spans of this service). */
export const TRACER = Symbol('tessera:tracer');
/** Injection token of the `Database` (PgDatabase or PgliteDatabase). */
export const DATABASE = Symbol('tessera:database');
/** Injection token of the `EventStore`. */
export const EVENT_STORE = Symbol('tessera:event-store');
/** Injection token of the `MessageBus` (KafkaBus or InProcessBus). */
export const MESSAGE_BUS = Symbol('tessera:message-bus');
/** Injection token of the log → identity-events `Relay` candidate. */
export const RELAY = Symbol('tessera:relay');
/** Injection token of the service's `ProjectionRunner`. */
export const PROJECTION_RUNNER = Symbol('tessera:projection-runner');
/** Injection token of the `PlatformRuntime` that owns all of the above. */
export const PLATFORM_RUNTIME = Symbol('tessera:platform-runtime');
