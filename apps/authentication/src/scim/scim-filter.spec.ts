import { parsePagination, parseUserFilter } from './scim-filter';
import { ScimError } from './scim.error';

describe('SCIM filter and pagination (RFC 7644 §3.4.2)', () => {
  it('reads userName eq "…", case-insensitive keywords, JSON string escapes', () => {
    expect(parseUserFilter('userName eq "alice"')).toEqual({ userName: 'alice' });
    expect(parseUserFilter('USERNAME EQ "a\\"b"')).toEqual({ userName: 'a"b' });
    expect(parseUserFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x@y.z"')).toEqual({
      userName: 'x@y.z',
    });
  });

  it.each([
    'userName co "a"',
    'emails eq "a"',
    'userName eq "a" or userName eq "b"',
    'userName eq alice',
    '',
    'userName eq "a',
  ])('answers invalidFilter to %p', (filter) => {
    expect(() => parseUserFilter(filter)).toThrow(ScimError);
    try {
      parseUserFilter(filter);
    } catch (err) {
      expect((err as ScimError).scimType).toBe('invalidFilter');
      expect((err as ScimError).status).toBe(400);
    }
  });

  it('clamps startIndex and count as the RFC says', () => {
    expect(parsePagination(undefined, undefined)).toEqual({ startIndex: 1, count: 100 });
    expect(parsePagination('0', '-5')).toEqual({ startIndex: 1, count: 0 });
    expect(parsePagination('3', '1000')).toEqual({ startIndex: 3, count: 100 });
    expect(() => parsePagination('abc', undefined)).toThrow(ScimError);
    expect(() => parsePagination(undefined, '1.5')).toThrow(ScimError);
  });
});
