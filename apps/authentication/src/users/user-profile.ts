/** A JSON value allowed in a custom claim (issue 5 §1: the claims extension feeds the scope → claims contract). */
export type ClaimValue = string | number | boolean | null | ClaimValue[] | { [name: string]: ClaimValue };

/** RFC 7643 §4.1.1 `name` (the sub-attributes Tessera keeps). */
export interface PersonName {
  givenName?: string;
  familyName?: string;
  formatted?: string;
}

/** RFC 7643 §4.1.2 `emails` entry. */
export interface UserEmail {
  value: string;
  primary?: boolean;
  type?: string;
}

/**
 * A user's personal data: what events carry only sealed under the user's own
 * key (DESIGN §2). `userName` is the login id (RFC 7643 §4.1.1), personal too.
 */
export interface UserProfile {
  userName: string;
  name?: PersonName;
  displayName?: string;
  emails: UserEmail[];
  /** Tessera's custom claims (`urn:tessera:params:scim:schemas:extension:claims:2.0:User`). */
  claims: Record<string, ClaimValue>;
}

/** RFC 7643 §4.1.1: userName is case-insensitive (caseExact false); NFC so equal strings compare equal. */
export function normalizeUserName(userName: string): string {
  return userName.normalize('NFC').toLowerCase();
}

/** JSON with sorted object keys: two profiles with the same content give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
