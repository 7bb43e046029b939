import type { UserProfile } from '../users/user-profile';
import { SCIM_CLAIMS_EXTENSION, SCIM_LIST_RESPONSE_SCHEMA, SCIM_USER_SCHEMA } from './scim.schemas';

/** What a User resource is rendered from. */
export interface ScimUserSource {
  id: string;
  active: boolean;
  profile: UserProfile;
  version: number;
  createdAt: string;
  lastModified: string;
}

/** RFC 7644 §3.14: the version as a weak ETag. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The version an `If-Match` header names; undefined for `*` or no header, null when it names none we issue. */
export function versionFromIfMatch(header: string | string[] | undefined): number | undefined | null {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(value);
  return match ? Number(match[1]) : null;
}

/** The User resource (RFC 7643 §4.1) with `meta` (§3.1); `password` is never returned (returned: never). */
export function scimUserResource(user: ScimUserSource, location: string): Record<string, unknown> {
  const { profile } = user;
  return {
    schemas: [SCIM_USER_SCHEMA, SCIM_CLAIMS_EXTENSION],
    id: user.id,
    userName: profile.userName,
    ...(profile.name ? { name: profile.name } : {}),
    ...(profile.displayName !== undefined ? { displayName: profile.displayName } : {}),
    ...(profile.emails.length > 0 ? { emails: profile.emails } : {}),
    active: user.active,
    [SCIM_CLAIMS_EXTENSION]: profile.claims,
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: user.lastModified,
      location,
      version: etagOf(user.version),
    },
  };
}

/** RFC 7644 §3.4.2: a ListResponse. */
export function scimListResponse(
  resources: Record<string, unknown>[],
  totalResults: number,
  startIndex: number,
): Record<string, unknown> {
  return {
    schemas: [SCIM_LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
