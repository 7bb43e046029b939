import {
  type AuthorizeClient,
  type AuthorizeParams,
  validateAuthorizationRequest,
} from './authorization-request.validator';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 Appendix B
const REDIRECT = 'https://app.example/cb';

const client = (overrides: Partial<AuthorizeClient> = {}): AuthorizeClient => ({
  clientId: 'app',
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['code'],
  redirectUris: [REDIRECT, 'https://app.example/cb?tenant=1'],
  scopes: ['openid', 'profile', 'email', 'orders_read'],
  isPublic: true,
  requirePkce: true,
  ...overrides,
});

const params = (overrides: Record<string, string | string[] | undefined> = {}): AuthorizeParams => ({
  response_type: 'code',
  client_id: 'app',
  redirect_uri: REDIRECT,
  scope: 'openid profile',
  state: 'xyz',
  nonce: 'n-0S6',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  ...overrides,
});

const validate = (p: AuthorizeParams, c: AuthorizeClient | null = client()) =>
  validateAuthorizationRequest(p, c, 'req-id', NOW);

describe('validateAuthorizationRequest (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2)', () => {
  it('accepts a complete public-client request and records what the flow needs', () => {
    const outcome = validate(params({ prompt: 'login', max_age: '300' }));
    expect(outcome).toEqual({
      kind: 'valid',
      request: {
        requestId: 'req-id',
        clientId: 'app',
        redirectUri: REDIRECT,
        scope: 'openid profile',
        state: 'xyz',
        nonce: 'n-0S6',
        codeChallenge: CHALLENGE,
        codeChallengeMethod: 'S256',
        prompt: 'login',
        maxAge: 300,
        receivedAt: '2026-11-29T10:00:00.000Z',
        expiresAt: '2026-11-29T10:10:00.000Z',
      },
    });
  });

  it('accepts a registered redirect URI that has a query, exactly as registered', () => {
    expect(validate(params({ redirect_uri: 'https://app.example/cb?tenant=1' })).kind).toBe('valid');
  });

  it.each([
    ['a trailing slash', 'https://app.example/cb/'],
    ['an extra query', 'https://app.example/cb?x=1'],
    ['a different case', 'https://APP.example/cb'],
    ['a different path case', 'https://app.example/CB'],
    ['a fragment', 'https://app.example/cb#frag'],
    ['another port', 'https://app.example:8443/cb'],
    ['http instead of https', 'http://app.example/cb'],
  ])('refuses a redirect URI with %s with an error page, never a redirect', (_, uri) => {
    const outcome = validate(params({ redirect_uri: uri }));
    expect(outcome.kind).toBe('error-page');
  });

  it('shows an error page for a missing, unknown or repeated client and a missing redirect URI', () => {
    expect(validate(params({ client_id: undefined })).kind).toBe('error-page');
    expect(validate(params(), null).kind).toBe('error-page');
    expect(validate(params({ client_id: 'other' })).kind).toBe('error-page');
    expect(validate(params({ client_id: ['app', 'app'] })).kind).toBe('error-page');
    expect(validate(params({ redirect_uri: undefined })).kind).toBe('error-page');
    expect(validate(params({ redirect_uri: [REDIRECT, REDIRECT] })).kind).toBe('error-page');
  });

  const redirected = (p: AuthorizeParams, c?: AuthorizeClient) => {
    const outcome = validate(p, c);
    if (outcome.kind !== 'redirect-error') throw new Error(`expected a redirect error, got ${outcome.kind}`);
    return { error: outcome.error.error, state: outcome.state, redirectUri: outcome.redirectUri };
  };

  it('refuses a missing code_challenge (PKCE required) at the redirect URI with the state', () => {
    expect(redirected(params({ code_challenge: undefined, code_challenge_method: undefined }))).toEqual({
      error: 'invalid_request',
      state: 'xyz',
      redirectUri: REDIRECT,
    });
  });

  it('refuses plain PKCE and a missing method (which means plain, RFC 7636 §4.3)', () => {
    expect(redirected(params({ code_challenge_method: 'plain' })).error).toBe('invalid_request');
    expect(redirected(params({ code_challenge_method: undefined })).error).toBe('invalid_request');
    expect(redirected(params({ code_challenge: 'short' })).error).toBe('invalid_request');
  });

  it('requires PKCE of a confidential client by default, not when it registered require_pkce false', () => {
    const noPkce = params({ code_challenge: undefined, code_challenge_method: undefined });
    expect(redirected(noPkce, client({ isPublic: false })).error).toBe('invalid_request');
    const optedOut = validate(noPkce, client({ isPublic: false, requirePkce: false }));
    expect(optedOut.kind).toBe('valid');
    if (optedOut.kind === 'valid') expect(optedOut.request.codeChallenge).toBeUndefined();
    // A public client cannot opt out.
    expect(redirected(noPkce, client({ isPublic: true, requirePkce: false })).error).toBe('invalid_request');
  });

  it('supports response_type=code only', () => {
    expect(redirected(params({ response_type: 'token' })).error).toBe('unsupported_response_type');
    expect(redirected(params({ response_type: 'code id_token' })).error).toBe('unsupported_response_type');
    expect(redirected(params({ response_type: undefined })).error).toBe('invalid_request');
    expect(redirected(params(), client({ grantTypes: ['client_credentials'] })).error).toBe('unauthorized_client');
  });

  it('refuses scopes the client may not request, and a missing scope', () => {
    expect(redirected(params({ scope: 'openid admin' })).error).toBe('invalid_scope');
    expect(redirected(params({ scope: undefined })).error).toBe('invalid_scope');
    // openid is always allowed to a code-flow client.
    expect(validate(params({ scope: 'openid' }), client({ scopes: [] })).kind).toBe('valid');
  });

  it('validates prompt and max_age (OIDC Core §3.1.2.1)', () => {
    expect(redirected(params({ prompt: 'none login' })).error).toBe('invalid_request');
    expect(redirected(params({ prompt: 'bogus' })).error).toBe('invalid_request');
    expect(redirected(params({ max_age: '-1' })).error).toBe('invalid_request');
    expect(redirected(params({ max_age: 'soon' })).error).toBe('invalid_request');
  });

  it('refuses repeated parameters, request objects and response modes other than query', () => {
    expect(redirected(params({ scope: ['openid', 'openid'] })).error).toBe('invalid_request');
    expect(redirected(params({ request: 'eyJ...' })).error).toBe('request_not_supported');
    expect(redirected(params({ request_uri: 'https://x' })).error).toBe('request_uri_not_supported');
    expect(redirected(params({ response_mode: 'fragment' })).error).toBe('invalid_request');
  });

  it('records resource indicators, repeatable, and refuses an invalid one with invalid_target (RFC 8707 §2)', () => {
    const one = validate(params({ resource: 'https://api.example/' }));
    expect(one).toMatchObject({ kind: 'valid', request: { resources: ['https://api.example/'] } });
    const two = validate(params({ resource: ['https://api.example/', 'https://b.example', 'https://api.example/'] }));
    expect(two).toMatchObject({ kind: 'valid', request: { resources: ['https://api.example/', 'https://b.example'] } });
    expect((validate(params()) as { request: object }).request).not.toHaveProperty('resources');
    for (const resource of ['relative/path', 'https://api.example/#frag', ['https://api.example/', 'nope']]) {
      const outcome = redirected(params({ resource }));
      expect(outcome).toMatchObject({ error: 'invalid_target' });
    }
  });
});
