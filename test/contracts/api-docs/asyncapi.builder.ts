import { AUDIT_EVENT_TYPE, AUDIT_SOURCE, REVOCATION_EVENT_TYPE, REVOCATION_SOURCE } from '@tessera/contracts';
import { dataSchemaUri, EVENT_STORE_SOURCE, Topics } from '@tessera/messaging';
import type { EventType } from './event-catalog';
import type { JsonSchema } from './type-schemas';

/** What the AsyncAPI document is built from. */
export interface AsyncApiSources {
  version: string;
  events: (EventType & { dataType?: string })[];
  /** `components.schemas`: the CloudEvent envelope and the data types, by name. */
  schemas: Record<string, JsonSchema>;
}

// CloudEvents 1.0 structured mode (libs/messaging kafka.bus): the Kafka record's content-type header.
const STRUCTURED = 'application/cloudevents+json; charset=UTF-8';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function message(opts: {
  type: string;
  source: string;
  summary: string;
  data: JsonSchema;
  dataschema: JsonSchema;
  key: string;
  constant?: string;
}): JsonSchema {
  return {
    name: opts.type,
    title: opts.type,
    summary: opts.summary,
    contentType: STRUCTURED,
    ...(opts.constant ? { 'x-tessera-constant': opts.constant } : {}),
    headers: {
      type: 'object',
      properties: { 'content-type': { type: 'string', const: STRUCTURED } },
    },
    payload: {
      allOf: [
        ref('CloudEvent'),
        {
          type: 'object',
          required: ['type', 'source', 'data'],
          properties: {
            type: { const: opts.type },
            source: { const: opts.source },
            dataschema: opts.dataschema,
            data: opts.data,
          },
        },
      ],
    },
    bindings: { kafka: { key: { type: 'string', description: opts.key }, bindingVersion: '0.5.0' } },
  };
}

const prefixNote =
  'The address is the topic under no prefix; a deployment with `TESSERA_TOPIC_PREFIX=<prefix>` uses `<prefix>.<address>`.';

/**
 * The AsyncAPI 3.0 document of the public topics (DESIGN §3): every log event
 * type on `iam.identity-events`, `tessera.revocation.v1` on `iam.revocations`
 * and `tessera.audit.v1` on `iam.audit`, each a CloudEvents 1.0 envelope.
 */
export function buildAsyncApi(sources: AsyncApiSources): JsonSchema {
  const messages: Record<string, JsonSchema> = {};
  const identity: Record<string, JsonSchema> = {};
  for (const e of sources.events) {
    messages[e.type] = message({
      type: e.type,
      source: EVENT_STORE_SOURCE,
      summary: `Log event \`${e.type}\`${e.dataType ? ` (data: ${e.dataType})` : ''}.`,
      data: e.dataType ? ref(e.dataType) : { type: 'object', additionalProperties: true },
      // The schema version travels in the envelope (STYLE 3): the last segment of dataschema.
      dataschema: {
        type: 'string',
        pattern: `^${dataSchemaUri(e.type, 0).slice(0, -1).replace(/\./g, '\\.')}[1-9][0-9]*$`,
      },
      key: 'The stream id (`<aggregate>-<id>`): per-stream order.',
      constant: e.constant,
    });
    identity[e.type] = { $ref: `#/components/messages/${e.type}` };
  }
  messages[REVOCATION_EVENT_TYPE] = message({
    type: REVOCATION_EVENT_TYPE,
    source: REVOCATION_SOURCE,
    summary: 'Tokens revoked, with the whole cascade (refresh family, exchanged descendants) as handles.',
    data: ref('RevocationMessageData'),
    dataschema: { type: 'string' },
    key: 'The subject (`sub`) whose tokens were revoked (also the CloudEvent subject).',
  });
  messages[AUDIT_EVENT_TYPE] = message({
    type: AUDIT_EVENT_TYPE,
    source: AUDIT_SOURCE,
    summary: 'One audit record and its link in the hash chain; ids only, no personal data.',
    data: ref('AuditMessageData'),
    dataschema: { const: `urn:tessera:schema:${AUDIT_EVENT_TYPE}` },
    key: 'The subject the record is about, else its client, else its stream (also the CloudEvent subject).',
  });
  const channels = {
    identityEvents: {
      address: Topics.identityEvents,
      title: 'Identity events',
      description: `Every event of the identity event log, in log order per stream, published by the relay. ${prefixNote}`,
      messages: identity,
    },
    revocations: {
      address: Topics.revocations,
      title: 'Revocations',
      description: `Integration event for gateways and resource servers. ${prefixNote}`,
      messages: { [REVOCATION_EVENT_TYPE]: { $ref: `#/components/messages/${REVOCATION_EVENT_TYPE}` } },
    },
    audit: {
      address: Topics.audit,
      title: 'Audit',
      description: `The audit record of every event, for SIEMs. ${prefixNote}`,
      messages: { [AUDIT_EVENT_TYPE]: { $ref: `#/components/messages/${AUDIT_EVENT_TYPE}` } },
    },
  };
  const operations = Object.fromEntries(
    Object.entries(channels).map(([id, channel]) => [
      `publish${id.charAt(0).toUpperCase()}${id.slice(1)}`,
      {
        action: 'send',
        channel: { $ref: `#/channels/${id}` },
        messages: Object.keys(channel.messages).map((m) => ({ $ref: `#/channels/${id}/messages/${m}` })),
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Tessera integration events',
      version: sources.version,
      description:
        'The Kafka topics of DESIGN §3, generated from the code (`npm run docs:api`). Every message is a ' +
        'CloudEvents 1.0 event in structured JSON mode, with `traceparent` and the log position as extensions.',
    },
    defaultContentType: STRUCTURED,
    servers: {
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: 'The brokers in KAFKA_BROKERS.' },
    },
    channels,
    operations,
    components: { schemas: sources.schemas, messages },
  };
}
