import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '@tessera/telemetry';

/**
 * Routes kafkajs's own log lines into our logger (warn and error only; the
 * client is set to WARN). Only kafkajs's message and a few scalar fields are
 * kept: never a message value (DESIGN §2, no secret in a log line).
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _t, logger: _l, ...rest } = log as { message: string; [k: string]: unknown };
      // Deliberate: the bus bounds the idempotent producer's retries so that a failed send
      // surfaces and the relay retries the batch itself (consumers de-duplicate by event id).
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const fields: Record<string, unknown> = { component: 'kafkajs', namespace };
      for (const [k, v] of Object.entries(rest)) {
        if (k === 'value' || k === 'messages' || k === 'payload') continue;
        if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
      }
      if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}
