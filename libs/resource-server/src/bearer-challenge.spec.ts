import { InvalidRequestError, InvalidTokenError, ServerError } from '@tessera/oauth';
import { bearerChallenge, extractBearerToken } from './bearer-challenge';
import { InsufficientScopeError } from './insufficient-scope.error';

describe('RFC 6750 bearer token and challenges', () => {
  it('reads `Bearer <b64token>` (scheme case-insensitive); no token for another scheme', () => {
    expect(extractBearerToken('Bearer a.b-c_d~e+f/g==')).toBe('a.b-c_d~e+f/g==');
    expect(extractBearerToken('bearer abc')).toBe('abc');
    expect(extractBearerToken(undefined)).toBeNull();
    expect(extractBearerToken('Basic Zm9vOmJhcg==')).toBeNull();
    expect(() => extractBearerToken('Bearer a b')).toThrow(InvalidRequestError);
    expect(() => extractBearerToken('Bearer')).toThrow(InvalidRequestError);
    expect(() => extractBearerToken(['Bearer a', 'Bearer b'])).toThrow(InvalidRequestError);
  });

  it('answers a missing token with a bare challenge, no error code (RFC 6750 §3.1)', () => {
    expect(bearerChallenge(null, 'orders')).toEqual({
      status: 401,
      wwwAuthenticate: 'Bearer realm="orders"',
      body: {},
    });
  });

  it('answers invalid_token 401, insufficient_scope 403 with scope, a key outage 500 without challenge', () => {
    expect(bearerChallenge(new InvalidTokenError('token expired'))).toMatchObject({
      status: 401,
      wwwAuthenticate: 'Bearer error="invalid_token", error_description="token expired"',
    });
    expect(bearerChallenge(new InsufficientScopeError('scope required: orders_read', ['orders_read']))).toMatchObject({
      status: 403,
      wwwAuthenticate:
        'Bearer error="insufficient_scope", error_description="scope required: orders_read", scope="orders_read"',
    });
    expect(bearerChallenge(new ServerError('issuer keys unavailable'))).toEqual({
      status: 500,
      body: { error: 'server_error' },
    });
  });

  it('never puts a quote or backslash inside a quoted value', () => {
    expect(bearerChallenge(new InvalidTokenError('a"b\\c')).wwwAuthenticate).toBe(
      'Bearer error="invalid_token", error_description="abc"',
    );
  });
});
