import { ConcurrencyError, IllegalStateError, NotFoundError } from '@tessera/event-store';
import { InvalidClientError, InvalidClientMetadataError, InvalidScopeError, InvalidTokenError } from '@tessera/oauth';
import { oauthErrorResponse } from './oauth-error.filter';

describe('oauthErrorResponse', () => {
  it('renders OAuth errors with their status, body and no-store', () => {
    expect(oauthErrorResponse(new InvalidScopeError('too wide'))).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { error: 'invalid_scope', error_description: 'too wide' },
    });
    expect(oauthErrorResponse(new InvalidClientMetadataError()).body).toEqual({ error: 'invalid_client_metadata' });
  });

  it('adds WWW-Authenticate: Basic only when the client used Basic, Bearer for invalid_token', () => {
    const basic = oauthErrorResponse(new InvalidClientError('no', true));
    expect(basic.status).toBe(401);
    expect(basic.headers['WWW-Authenticate']).toBe('Basic realm="tessera"');
    expect(oauthErrorResponse(new InvalidClientError('no')).headers['WWW-Authenticate']).toBeUndefined();
    const bearer = oauthErrorResponse(new InvalidTokenError());
    expect(bearer.status).toBe(401);
    expect(bearer.headers['WWW-Authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('maps domain errors, never to 500', () => {
    expect(oauthErrorResponse(new ConcurrencyError('refreshfamily-f1', 3, 4))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(oauthErrorResponse(new ConcurrencyError('authcode-h', 0, 1))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    // An exchange or a revocation racing on an access token's stream: retryable, never invalid_grant.
    expect(oauthErrorResponse(new ConcurrencyError('accesstoken-h', 3, 4))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(oauthErrorResponse(new ConcurrencyError('client-c1', 3, 4))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(oauthErrorResponse(new NotFoundError('gone'))).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(oauthErrorResponse(new IllegalStateError('no'))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });
});
