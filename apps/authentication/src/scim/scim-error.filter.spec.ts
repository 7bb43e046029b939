import { UnauthorizedException } from '@nestjs/common';
import { ConcurrencyError, NotFoundError } from '@tessera/event-store';
import { PasswordPolicyError, UserNameTakenError, VersionMismatchError } from '../users/user.errors';
import { scimErrorOf } from './scim-error.filter';

describe('SCIM error mapping (RFC 7644 §3.12)', () => {
  it.each([
    [new PasswordPolicyError('password must have at least 12 characters'), 400, 'invalidValue'],
    [new UserNameTakenError(), 409, 'uniqueness'],
    [new VersionMismatchError(3), 412, undefined],
    [new NotFoundError('x'), 404, undefined],
    [new ConcurrencyError('user-1', 2, 3), 409, undefined],
    [new UnauthorizedException({ error: 'invalid_token', error_description: 'admin token required' }), 401, undefined],
    [Object.assign(new Error('Unexpected token'), { statusCode: 400 }), 400, 'invalidSyntax'],
  ])('%p → %p %p', (error, status, scimType) => {
    const scim = scimErrorOf(error);
    expect(scim?.status).toBe(status);
    expect(scim?.scimType).toBe(scimType);
  });

  it('leaves anything else to the 500 path', () => {
    expect(scimErrorOf(new Error('boom'))).toBeUndefined();
  });
});
