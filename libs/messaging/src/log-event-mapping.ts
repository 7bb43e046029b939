import type { EventMetadata, RecordedEvent } from '@tessera/event-store';
import type { CloudEvent } from './cloud-event';

/** The `source` of every CloudEvent the relay publishes from the log. */
export const EVENT_STORE_SOURCE = 'urn:tessera:event-store';

const SCHEMA_PREFIX = 'urn:tessera:schema:';

/** The `dataschema` URI of a log event type at a schema version. */
export function dataSchemaUri(type: string, schemaVersion: number): string {
  return `${SCHEMA_PREFIX}${type}:${schemaVersion}`;
}

/**
 * Maps a log event to its CloudEvents 1.0 envelope (DESIGN §3).
 *
 * `data` is the event's data unchanged, so consumers that only know CloudEvents
 * read the payload directly. Everything else needed to rebuild the RecordedEvent
 * travels in extension attributes (lower-case alphanumeric names, scalar values,
 * CloudEvents 1.0 §3.1.1): `logposition`, `logtxid`, `streamversion`,
 * `traceparent`, and the metadata object JSON-encoded in `eventmetadata`.
 * The schema version is the last segment of `dataschema`.
 */
export function toCloudEvent(e: RecordedEvent): CloudEvent<Record<string, unknown>> {
  const ce: CloudEvent<Record<string, unknown>> = {
    specversion: '1.0',
    id: e.id,
    source: EVENT_STORE_SOURCE,
    type: e.type,
    subject: e.streamId,
    time: e.recordedAt.toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(e.type, e.schemaVersion),
    data: { ...e.data },
    logposition: String(e.position),
    logtxid: e.transactionId,
    streamversion: e.streamVersion,
    eventmetadata: JSON.stringify(e.metadata ?? {}),
  };
  if (typeof e.metadata?.traceparent === 'string') ce.traceparent = e.metadata.traceparent;
  return ce;
}

/** Rebuilds the log event from an envelope made by `toCloudEvent`; throws on anything else. */
export function fromCloudEvent(c: CloudEvent): RecordedEvent {
  if (c.source !== EVENT_STORE_SOURCE) throw new Error(`not a log event: source ${c.source}`);
  if (!c.subject || c.logposition === undefined || c.logtxid === undefined || c.streamversion === undefined) {
    throw new Error(`log event ${c.id} lacks subject, logposition, logtxid or streamversion`);
  }
  const metadata = (c.eventmetadata ? JSON.parse(c.eventmetadata) : {}) as EventMetadata;
  if (c.traceparent !== undefined && metadata.traceparent === undefined) metadata.traceparent = c.traceparent;
  return {
    position: Number(c.logposition),
    transactionId: c.logtxid,
    streamId: c.subject,
    streamVersion: Number(c.streamversion),
    id: c.id,
    type: c.type,
    schemaVersion: schemaVersionOf(c),
    data: { ...(c.data as Record<string, unknown>) },
    metadata,
    recordedAt: new Date(c.time),
  };
}

function schemaVersionOf(c: CloudEvent): number {
  const prefix = `${SCHEMA_PREFIX}${c.type}:`;
  if (!c.dataschema?.startsWith(prefix)) return 1;
  const v = Number(c.dataschema.slice(prefix.length));
  return Number.isInteger(v) && v > 0 ? v : 1;
}
