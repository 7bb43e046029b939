import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: code_verifier = 43*128unreserved (ALPHA / DIGIT / "-" / "." / "_" / "~"). */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Whether `verifier` is a well-formed RFC 7636 §4.1 code_verifier. */
export function isCodeVerifier(verifier: string): boolean {
  return CODE_VERIFIER.test(verifier);
}

/** RFC 7636 §4.2: the S256 code_challenge of a verifier, BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * RFC 7636 §4.6: whether the verifier matches the S256 challenge, compared in
 * constant time (both sides are 43-character hashes, so lengths leak nothing).
 */
export function verifyS256(verifier: string, challenge: string): boolean {
  const expected = Buffer.from(s256CodeChallenge(verifier));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
