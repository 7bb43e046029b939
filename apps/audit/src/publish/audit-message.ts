import { AUDIT_EVENT_TYPE, AUDIT_SOURCE, type AuditMessageData } from '@tessera/contracts';
import type { OutgoingMessage } from '@tessera/messaging';
import type { ChainLink } from '../trail/audit-chain';

/**
 * The `iam.audit` integration event of one record (DESIGN §3): a CloudEvent
 * keyed by subject (the client, then the stream, when the record has none)
 * carrying the record and its link, so a SIEM can check the chain itself.
 * The id is the log event's: a republished record is recognisable.
 */
export function auditMessage(link: ChainLink): OutgoingMessage {
  const { record } = link;
  const key = record.subject ?? record.clientId ?? record.target.stream;
  const data: AuditMessageData = { record, prevHash: link.prevHash, hash: link.hash };
  return {
    key,
    value: {
      specversion: '1.0',
      id: record.eventId,
      source: AUDIT_SOURCE,
      type: AUDIT_EVENT_TYPE,
      subject: key,
      time: record.time,
      datacontenttype: 'application/json',
      dataschema: `urn:tessera:schema:${AUDIT_EVENT_TYPE}`,
      data,
      logposition: String(record.position),
    },
  };
}
