import { decodeProtectedHeader, errors } from 'jose';
import { InvalidTokenError, ServerError, type OAuthError } from '@tessera/oauth';

/**
 * Turns what jose threw into the error the API answers with: a short reason
 * for a bad token (RFC 6750 §3.1 `invalid_token`, never the token itself), or
 * a server error when the issuer's keys could not be fetched (not the token's fault).
 */
export function verificationFailure(err: unknown, token: string): OAuthError {
  if (err instanceof InvalidTokenError || err instanceof ServerError) return err;
  if (err instanceof errors.JWTExpired) return new InvalidTokenError('token expired');
  if (err instanceof errors.JWTClaimValidationFailed) return claimFailure(err.claim, err.reason);
  if (err instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError('signature invalid');
  if (err instanceof errors.JWKSNoMatchingKey) return new InvalidTokenError('no matching key');
  if (err instanceof errors.JOSEAlgNotAllowed) return new InvalidTokenError('algorithm not allowed');
  if (err instanceof errors.JOSENotSupported) {
    // RFC 7515 §4.1.11: jose refuses a `crit` extension it does not know before asking for a key.
    return new InvalidTokenError(hasCrit(token) ? 'unknown crit' : 'unsupported token');
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid)
    return new InvalidTokenError('malformed token');
  // JWKS timeout, non-200 answer, malformed set, network failure: the issuer's keys are unavailable.
  return new ServerError('issuer keys unavailable');
}

function claimFailure(claim: string, reason: string): InvalidTokenError {
  if (reason === 'missing') return new InvalidTokenError(`${claim} missing`);
  switch (claim) {
    case 'nbf':
      return new InvalidTokenError('token not yet valid');
    case 'iss':
      return new InvalidTokenError('issuer mismatch');
    case 'aud':
      return new InvalidTokenError('audience mismatch');
    case 'typ':
      return new InvalidTokenError('typ must be at+jwt');
    default:
      return new InvalidTokenError(`${claim} invalid`);
  }
}

function hasCrit(token: string): boolean {
  try {
    return decodeProtectedHeader(token).crit !== undefined;
  } catch {
    return false;
  }
}
