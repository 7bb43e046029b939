import type { Tracer } from '@opentelemetry/api';
import { inConsumerSpan } from '@tessera/telemetry';
import type { MessageHandler } from './message-bus';

/**
 * Wraps a subscriber's handler in a CONSUMER span that is a child of the
 * CloudEvent's `traceparent` extension (DESIGN §3, W3C Trace Context), so
 * what a subscriber does (and appends) belongs to the producer's trace.
 */
export function tracedHandler(tracer: Tracer | undefined, topic: string, handler: MessageHandler): MessageHandler {
  if (!tracer) return handler;
  return (event, info) =>
    inConsumerSpan(
      tracer,
      `${topic} process`,
      {
        traceparent: event.traceparent,
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.message.id': event.id,
          'cloudevents.event_type': event.type,
        },
      },
      () => handler(event, info),
    );
}
