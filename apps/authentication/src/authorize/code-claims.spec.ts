import type { DirectoryUser } from '../users/user.directory';
import { standardClaimsFor } from './code-claims';

const user: DirectoryUser = {
  id: '6f1c2a9e-1b2c-4d5e-8f90-123456789abc',
  userName: 'alice',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [{ value: 'alice@example.com', primary: true }],
  active: true,
  claims: {},
};

describe('standardClaimsFor', () => {
  it('releases the OIDC claims of the standard scopes', () => {
    expect(standardClaimsFor(user, ['openid', 'email'])).toMatchObject({ email: 'alice@example.com' });
  });

  it('releases nothing for scopes named like prototype properties (no TypeError)', () => {
    expect(standardClaimsFor(user, ['constructor', '__proto__', 'toString', 'hasOwnProperty'])).toEqual({});
  });
});
