/** A CloudEvents 1.0 event in structured JSON mode, with Tessera's extensions. */
export interface CloudEvent<D = unknown> {
  specversion: '1.0';
  /** For log events: the event id from the log. */
  id: string;
  /** URI of the producer, e.g. `urn:tessera:event-store`. */
  source: string;
  /** For log events: the log's type string, e.g. `client.registered`. */
  type: string;
  /** For log events: the stream id. */
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  /** Version of the data schema, e.g. `urn:tessera:schema:client.registered:1`. */
  dataschema?: string;
  data: D;
  /** W3C Trace Context extension. */
  traceparent?: string;
  /** Tessera extension: the event's global log position (decimal string). */
  logposition?: string;
  /** Tessera extension: the writing transaction id (decimal string). */
  logtxid?: string;
  /** Tessera extension: the event's version inside its stream (1 for the first). */
  streamversion?: number;
  /**
   * Tessera extension: the log event's metadata (correlation id, causation id,
   * actor, …) as a JSON string, because CloudEvents extension values must be scalars.
   */
  eventmetadata?: string;
}
