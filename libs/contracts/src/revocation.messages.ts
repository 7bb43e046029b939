/**
 * CloudEvent type of the public revocation event on `iam.revocations`
 * (DESIGN §3), written by the token service's revocation relay and read by
 * introspection, gateways and resource servers.
 */
export const REVOCATION_EVENT_TYPE = 'tessera.revocation.v1';

/** The CloudEvent `source` of `tessera.revocation.v1`: the token service. */
export const REVOCATION_SOURCE = 'urn:tessera:token';

/** Data of `tessera.revocation.v1`: handles only, never a token value (DESIGN §2). */
export interface RevocationMessageData {
  /** Every handle the revocation covers (the whole cascade). */
  handles: string[];
  clientId: string;
  sub: string;
  reason: string;
  revokedAt: string;
  familyId?: string;
}
