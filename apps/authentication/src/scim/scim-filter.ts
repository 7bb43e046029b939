import { ScimError } from './scim.error';

/** The one filter the Users endpoint answers: `userName eq "…"` (RFC 7644 §3.4.2.2). */
export interface UserNameFilter {
  userName: string;
}

// Attribute names and operators are case-insensitive (RFC 7644 §3.4.2.2); the
// value is a JSON string (RFC 7644 §3.4.2.2: compValue = ... string per RFC 7159).
const USER_NAME_EQ =
  /^\s*(?:urn:ietf:params:scim:schemas:core:2\.0:User:)?userName\s+eq\s+("(?:[^"\\\u0000-\u001f]|\\.)*")\s*$/i;

/** Parses `filter`; anything but `userName eq "<string>"` is 400 `invalidFilter`. */
export function parseUserFilter(filter: string): UserNameFilter {
  const match = USER_NAME_EQ.exec(filter);
  if (match === null) throw new ScimError(400, 'invalidFilter', 'only the filter userName eq "<value>" is supported');
  try {
    return { userName: JSON.parse(match[1]) as string };
  } catch {
    throw new ScimError(400, 'invalidFilter', 'the filter value is not a valid string');
  }
}

/** Pagination of a list request (RFC 7644 §3.4.2.4). */
export interface Pagination {
  /** 1-based. */
  startIndex: number;
  count: number;
}

/** Most resources in one page (advertised as `filter.maxResults` in a later ServiceProviderConfig). */
export const MAX_PAGE_SIZE = 100;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[+-]?\d{1,9}$/.test(value.trim())) throw ScimError.invalidValue(`${name} must be an integer`);
  return Number(value.trim());
}

/** RFC 7644 §3.4.2.4: startIndex < 1 counts as 1, a negative count as 0; count is capped. */
export function parsePagination(startIndex: string | undefined, count: string | undefined): Pagination {
  const start = integer(startIndex, 'startIndex') ?? 1;
  const size = integer(count, 'count') ?? MAX_PAGE_SIZE;
  return { startIndex: Math.max(1, start), count: Math.min(MAX_PAGE_SIZE, Math.max(0, size)) };
}
