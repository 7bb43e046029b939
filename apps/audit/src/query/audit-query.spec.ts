import { InvalidRequestError } from '@tessera/oauth';
import { auditQuerySql, encodeCursor, parseAuditQuery } from './audit-query';

describe('parseAuditQuery', () => {
  it('parses filters, normalises times to UTC and decodes the cursor', () => {
    const q = parseAuditQuery({
      subject: 'u1',
      client: 'c1',
      action: 'access-token.issued',
      from: '2026-11-29T10:00:00+01:00',
      to: '2026-11-30',
      cursor: encodeCursor(42),
      limit: '10',
    });
    expect(q).toEqual({
      subject: 'u1',
      client: 'c1',
      action: 'access-token.issued',
      from: '2026-11-29T09:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      afterSeq: 42,
      limit: 10,
    });
  });

  it.each([
    [{ limit: '0' }],
    [{ limit: '5000' }],
    [{ limit: 'x' }],
    [{ from: 'yesterday' }],
    [{ cursor: 'garbage' }],
    [{ subject: ['a', 'b'] }],
    [{ sbuject: 'typo' }],
    [{ from: '2026-11-30', to: '2026-11-29' }],
  ])('refuses %j as invalid_request', (query) => {
    expect(() => parseAuditQuery(query)).toThrow(InvalidRequestError);
  });

  it('builds parameterised SQL (values never enter the text)', () => {
    const { text, params } = auditQuerySql({ subject: "x' OR 1=1 --", afterSeq: 5, limit: 10, action: 'a' }, 5, 11);
    expect(text).not.toContain('OR 1=1');
    expect(params).toEqual([5, "x' OR 1=1 --", 'a', 11]);
  });
});
