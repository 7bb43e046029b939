import { isCodeVerifier, s256CodeChallenge, verifyS256 } from './pkce';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256 (RFC 7636)', () => {
  it('computes the Appendix B challenge and verifies it', () => {
    expect(s256CodeChallenge(VERIFIER)).toBe(CHALLENGE);
    expect(verifyS256(VERIFIER, CHALLENGE)).toBe(true);
  });

  it('refuses another verifier, a plain challenge and a challenge of another length', () => {
    expect(verifyS256(`${VERIFIER.slice(0, -1)}Y`, CHALLENGE)).toBe(false);
    expect(verifyS256(VERIFIER, VERIFIER)).toBe(false);
    expect(verifyS256(VERIFIER, CHALLENGE.slice(1))).toBe(false);
  });

  it('accepts 43 to 128 unreserved characters only (§4.1)', () => {
    expect(isCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isCodeVerifier('A-._~9'.repeat(21) + 'xx')).toBe(true);
    expect(isCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)} `)).toBe(false);
  });
});
