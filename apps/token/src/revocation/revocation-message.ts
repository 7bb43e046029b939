import {
  type AccessTokenRevokedData,
  type GrantsRevokedData,
  type RefreshFamilyRevokedData,
  REVOCATION_EVENT_TYPE,
  REVOCATION_SOURCE,
  type RevocationMessageData,
  TokenEvents,
  TokenExchangeEvents,
  type TokenLineageRevokedData,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import type { OutgoingMessage } from '@tessera/messaging';

// The contract lives in @tessera/contracts; this re-export only keeps revocation.int-spec.ts's import working.
export { REVOCATION_EVENT_TYPE } from '@tessera/contracts';

/**
 * The relay's selection for `iam.revocations`: one integration event per
 * revocation in the log, keyed by subject so a subscriber sees a subject's
 * revocations in order; every other event is skipped.
 */
export function revocationMessage(e: RecordedEvent): OutgoingMessage | null {
  let data: RevocationMessageData;
  // A consent's cascade is one message (DESIGN §5): its `grants.revoked` lists every handle, so the
  // per-family and per-token events it is appended with (reason consent_revoked) are not published.
  const consentCascade = (e.data as { reason?: unknown }).reason === 'consent_revoked';
  if (consentCascade && e.type !== TokenEvents.grantsRevoked) return null;
  // Likewise a lineage cascade (RFC 8693): the root's revocation, or the lineage reaction's
  // `token-lineage.revoked`, lists the descendants, each also revoked on its own (ancestor_revoked).
  const lineageCascade = (e.data as { reason?: unknown }).reason === 'ancestor_revoked';
  if (lineageCascade && e.type === TokenEvents.accessTokenRevoked) return null;
  // And a family's revocation lists its tokens, each also revoked on its own stream (family_revoked).
  const familyCascade = (e.data as { reason?: unknown }).reason === 'family_revoked';
  if (familyCascade && e.type === TokenEvents.accessTokenRevoked) return null;
  if (e.type === TokenExchangeEvents.tokenLineageRevoked) {
    const d = e.data as unknown as TokenLineageRevokedData;
    if (d.descendantHandles.length === 0) return null;
    data = {
      handles: [...d.descendantHandles],
      clientId: d.clientId,
      sub: d.sub,
      reason: d.reason,
      revokedAt: d.revokedAt,
    };
  } else if (e.type === TokenEvents.grantsRevoked) {
    const d = e.data as unknown as GrantsRevokedData;
    const handles = [...d.refreshHandles, ...d.accessTokenHandles];
    if (handles.length === 0) return null;
    data = { handles, clientId: d.clientId, sub: d.sub, reason: d.reason, revokedAt: d.revokedAt };
  } else if (e.type === TokenEvents.refreshFamilyRevoked) {
    const d = e.data as unknown as RefreshFamilyRevokedData;
    data = {
      handles: [...d.refreshHandles, ...d.accessTokenHandles, ...(d.descendantHandles ?? [])],
      clientId: d.clientId,
      sub: d.sub,
      reason: d.reason,
      revokedAt: d.revokedAt,
      familyId: d.familyId,
    };
  } else if (e.type === TokenEvents.accessTokenRevoked) {
    const d = e.data as unknown as AccessTokenRevokedData;
    data = {
      handles: [d.handle, ...(d.descendantHandles ?? [])],
      clientId: d.clientId,
      sub: d.sub,
      reason: d.reason,
      revokedAt: d.revokedAt,
    };
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
