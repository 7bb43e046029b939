import { type AccessTokenRevokedData, type RefreshFamilyRevokedData, TokenEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { OutgoingMessage } from '@tessera/messaging';

/** CloudEvent type of the public revocation event on `iam.revocations` (DESIGN §3). */
export const REVOCATION_EVENT_TYPE = 'tessera.revocation.v1';
/** Its producer. */
export const REVOCATION_SOURCE = 'urn:tessera:token';

/** Data of `tessera.revocation.v1`: handles only, never a token value. */
export interface RevocationMessageData {
  /** Every handle the revocation covers (the whole cascade). */
  handles: string[];
  clientId: string;
  sub: string;
  reason: string;
  revokedAt: string;
  familyId?: string;
}

/**
 * The relay's selection for `iam.revocations`: one integration event per
 * revocation in the log, keyed by subject so a subscriber sees a subject's
 * revocations in order; every other event is skipped.
 */
export function revocationMessage(e: RecordedEvent): OutgoingMessage | null {
  let data: RevocationMessageData;
  if (e.type === TokenEvents.refreshFamilyRevoked) {
    const d = e.data as unknown as RefreshFamilyRevokedData;
    data = {
      handles: [...d.refreshHandles, ...d.accessTokenHandles],
      clientId: d.clientId,
      sub: d.sub,
      reason: d.reason,
      revokedAt: d.revokedAt,
      familyId: d.familyId,
    };
  } else if (e.type === TokenEvents.accessTokenRevoked) {
    const d = e.data as unknown as AccessTokenRevokedData;
    data = { handles: [d.handle], clientId: d.clientId, sub: d.sub, reason: d.reason, revokedAt: d.revokedAt };
  } else {
    return null;
  }
  return {
    key: data.sub,
    value: {
      specversion: '1.0',
      // The log event's id: redelivery by the relay is recognisable (at-least-once).
      id: e.id,
      source: REVOCATION_SOURCE,
      type: REVOCATION_EVENT_TYPE,
      subject: data.sub,
      time: e.recordedAt.toISOString(),
      datacontenttype: 'application/json',
      data: { ...data },
      logposition: String(e.position),
      ...(typeof e.metadata?.traceparent === 'string' ? { traceparent: e.metadata.traceparent } : {}),
    },
  };
}
