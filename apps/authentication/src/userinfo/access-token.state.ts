import { type AccessTokenIssuedData, type RefreshFamilyRevokedData, TokenEvents } from '@tessera/contracts';

/** Whether an access token is live: issued, not revoked, not expired, its family not revoked. */
export function liveAccessToken(
  tokenEvents: readonly { type: string; data: unknown }[],
  familyEvents: readonly { type: string; data: unknown }[],
  now: Date,
): AccessTokenIssuedData | null {
  const issued = tokenEvents.find((e) => e.type === TokenEvents.accessTokenIssued)?.data as
    AccessTokenIssuedData | undefined;
  if (!issued) return null;
  if (tokenEvents.some((e) => e.type === TokenEvents.accessTokenRevoked)) return null;
  if (Date.parse(issued.expiresAt) <= now.getTime()) return null;
  // RFC 7009 §2.1 / DESIGN §5: revoking the family revokes every access token it issued.
  const familyRevoked = familyEvents.some(
    (e) =>
      e.type === TokenEvents.refreshFamilyRevoked &&
      (e.data as RefreshFamilyRevokedData).accessTokenHandles.includes(issued.handle),
  );
  return familyRevoked ? null : issued;
}
