import { serverMetadata } from './server-metadata';

describe('serverMetadata (RFC 8414 §2, OIDC Discovery §3)', () => {
  const doc = serverMetadata({
    issuer: 'https://id.example.com',
    scopes: ['openid', 'orders_read'],
    grantTypes: ['client_credentials', 'refresh_token'],
    authMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    authSigningAlgorithms: ['ES256', 'EdDSA'],
    signingAlgorithms: ['ES256'],
    scopeClaims: ['account_nr', 'email'],
  });

  it('lists the client assertion algorithms for the token and revocation endpoints (RFC 8414 §2)', () => {
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(['ES256', 'EdDSA']);
    expect(doc.revocation_endpoint_auth_signing_alg_values_supported).toEqual(['ES256', 'EdDSA']);
  });

  it('hangs every endpoint off the issuer', () => {
    expect(doc).toMatchObject({
      issuer: 'https://id.example.com',
      authorization_endpoint: 'https://id.example.com/oauth/authorize',
      token_endpoint: 'https://id.example.com/oauth/token',
      jwks_uri: 'https://id.example.com/jwks',
      registration_endpoint: 'https://id.example.com/oauth/register',
      revocation_endpoint: 'https://id.example.com/oauth/revoke',
      introspection_endpoint: 'https://id.example.com/oauth/introspect',
      userinfo_endpoint: 'https://id.example.com/userinfo',
      end_session_endpoint: 'https://id.example.com/logout',
    });
  });

  it('lists what is implemented, S256 only, and the RFC 9207 iss parameter', () => {
    expect(doc.grant_types_supported).toEqual(['client_credentials', 'refresh_token']);
    expect(doc.scopes_supported).toEqual(['openid', 'orders_read']);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    expect(doc.introspection_endpoint_auth_methods_supported).not.toContain('none');
    expect(doc.id_token_signing_alg_values_supported).toEqual(['ES256']);
  });

  it('describes the OpenID Provider: code only, public subjects, ID token claims and acr values (OIDC Discovery §3)', () => {
    expect(doc.response_types_supported).toEqual(['code']);
    expect(doc.subject_types_supported).toEqual(['public']);
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining([
        'sub',
        'iss',
        'auth_time',
        'acr',
        'amr',
        'nonce',
        'at_hash',
        'email',
        'name',
        'account_nr',
      ]),
    );
    expect(new Set(doc.claims_supported).size).toBe(doc.claims_supported.length);
    expect(doc.acr_values_supported).toEqual(['urn:tessera:acr:pwd', 'urn:tessera:acr:mfa']);
    expect(doc.request_parameter_supported).toBe(false);
  });
});
