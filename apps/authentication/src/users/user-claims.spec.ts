import { userClaims } from './user-claims';

describe('userClaims', () => {
  it('gives the OpenID Connect standard claims and the custom ones', () => {
    expect(
      userClaims({
        id: 'u-1',
        userName: 'alice',
        name: { givenName: 'Alice', familyName: 'Liddell' },
        emails: [{ value: 'a@work.example' }, { value: 'alice@example.com', primary: true }],
        active: true,
        claims: { account_nr: '12345', sub: 'forged', email_verified: true },
      }),
    ).toEqual({
      sub: 'u-1',
      preferred_username: 'alice',
      email: 'alice@example.com',
      email_verified: false,
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      account_nr: '12345',
    });
  });

  it('prefers name.formatted, then displayName; omits what is unknown', () => {
    const base = { id: 'u-2', userName: 'bob', emails: [], active: true, claims: {} };
    expect(userClaims({ ...base, displayName: 'Bobby', name: { formatted: 'Robert B.' } }).name).toBe('Robert B.');
    expect(userClaims({ ...base, displayName: 'Bobby' }).name).toBe('Bobby');
    expect(userClaims(base)).toEqual({ sub: 'u-2', preferred_username: 'bob' });
  });
});
