import { accessTokenHash, ID_TOKEN_TTL_SECONDS, idTokenClaims } from './id-token.claims';

describe('accessTokenHash (OIDC Core §3.1.3.6 at_hash)', () => {
  it('is the left half of SHA-256 for ES256/RS256, base64url (OIDC Core A.4 example)', () => {
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'ES256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('uses SHA-512 for EdDSA (32 bytes, 43 characters)', () => {
    expect(accessTokenHash('tsr_at_x', 'EdDSA')).toHaveLength(43);
  });
});

describe('idTokenClaims (OIDC Core §2)', () => {
  const now = new Date('2030-01-01T00:00:10Z');
  const input = {
    issuer: 'https://issuer.example',
    sub: 'user-1',
    clientId: 'rp-1',
    authTime: '2030-01-01T00:00:00Z',
    acr: 'urn:tessera:acr:mfa',
    amr: ['pwd', 'otp'],
    nonce: 'n-0S6_WzA2Mj',
    sid: 'session-handle',
    accessToken: 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y',
    claims: { email: 'ada@example.com', email_verified: true },
    now,
  };

  it('carries every required claim, the nonce, at_hash and the released claims', () => {
    const iat = Math.floor(now.getTime() / 1000);
    expect(idTokenClaims(input, 'ES256')).toEqual({
      iss: 'https://issuer.example',
      sub: 'user-1',
      aud: 'rp-1',
      exp: iat + ID_TOKEN_TTL_SECONDS,
      iat,
      auth_time: iat - 10,
      nonce: 'n-0S6_WzA2Mj',
      acr: 'urn:tessera:acr:mfa',
      amr: ['pwd', 'otp'],
      at_hash: '77QmUPtjPfzWtF2AnpK9RQ',
      sid: 'session-handle',
      email: 'ada@example.com',
      email_verified: true,
    });
  });

  it('leaves out nonce and at_hash when there are none', () => {
    const { nonce: _n, accessToken: _a, ...rest } = input;
    const claims = idTokenClaims(rest, 'ES256');
    expect(claims).not.toHaveProperty('nonce');
    expect(claims).not.toHaveProperty('at_hash');
  });

  it('never lets a released claim shadow a registered one', () => {
    const claims = idTokenClaims({ ...input, claims: { sub: 'root', iss: 'https://evil.example', aud: 'x' } }, 'ES256');
    expect(claims).toMatchObject({ sub: 'user-1', iss: 'https://issuer.example', aud: 'rp-1' });
  });
});
