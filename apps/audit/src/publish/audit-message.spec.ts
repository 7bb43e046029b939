import { AUDIT_EVENT_TYPE, AUDIT_SOURCE, type AuditRecord } from '@tessera/contracts';
import { chainHash, GENESIS_HASH } from '../trail/audit-chain';
import { auditMessage } from './audit-message';

const record: AuditRecord = {
  seq: 7,
  eventId: '0b7c1f7e-3c1e-4b8e-9d7a-2f0c6f0b1a11',
  position: 42,
  time: '2026-11-29T10:00:00.000Z',
  action: 'access-token.revoked',
  actor: { kind: 'client', id: 'c1' },
  subject: 'u1',
  clientId: 'c1',
  target: { stream: 'accesstoken-h', ids: { handle: 'h' } },
  outcome: 'revoked',
  reason: 'revoked_by_client',
};

describe('auditMessage', () => {
  it('is a CloudEvent keyed by subject, with the record and its link', () => {
    const hash = chainHash(GENESIS_HASH, record);
    const message = auditMessage({ seq: 7, record, prevHash: GENESIS_HASH, hash });
    expect(message.key).toBe('u1');
    expect(message.value).toEqual({
      specversion: '1.0',
      id: record.eventId,
      source: AUDIT_SOURCE,
      type: AUDIT_EVENT_TYPE,
      subject: 'u1',
      time: record.time,
      datacontenttype: 'application/json',
      dataschema: `urn:tessera:schema:${AUDIT_EVENT_TYPE}`,
      data: { record, prevHash: GENESIS_HASH, hash },
      logposition: '42',
    });
  });

  it('falls back to the client, then the stream, as key', () => {
    const { subject: _s, ...noSubject } = record;
    expect(auditMessage({ seq: 7, record: noSubject, prevHash: '', hash: '' }).key).toBe('c1');
    const { clientId: _c, ...neither } = noSubject;
    expect(auditMessage({ seq: 7, record: neither, prevHash: '', hash: '' }).key).toBe('accesstoken-h');
  });
});
