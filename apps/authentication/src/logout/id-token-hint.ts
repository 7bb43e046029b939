import { createLocalJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { publishedKeys, type SigningKeyState } from '@tessera/keys';

/**
 * An ID token, not another JWT of this OP (an RFC 9068 `at+jwt` access token, an
 * introspection response…): `typ` JWT or absent (OIDC Core §2), with `aud` and `sub`.
 */
function isIdToken(typ: string | undefined, payload: JWTPayload): boolean {
  if (typ !== undefined && typ.toUpperCase() !== 'JWT') return false;
  const aud = payload.aud;
  const hasAud = typeof aud === 'string' ? aud.length > 0 : Array.isArray(aud) && aud.length > 0;
  return hasAud && typeof payload.sub === 'string' && payload.sub.length > 0;
}

/**
 * OIDC RP-Initiated Logout 1.0 §2: the `id_token_hint` must be an ID token this
 * OP issued (signature by a published key, `iss`); an expired one is still a
 * good hint. Returns its claims, or null when it is not ours.
 */
export async function verifyIdTokenHint(
  hint: string,
  keys: readonly SigningKeyState[],
  issuer: string,
): Promise<JWTPayload | null> {
  const jwks = createLocalJWKSet({
    keys: publishedKeys(keys).map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg })),
  });
  try {
    const { payload, protectedHeader } = await jwtVerify(hint, jwks, { issuer });
    return isIdToken(protectedHeader.typ, payload) ? payload : null;
  } catch (err) {
    // The signature was good but the token expired: still a valid hint (§2).
    if (err instanceof errors.JWTExpired && err.payload.iss === issuer) {
      const typ = decodeProtectedHeader(hint).typ;
      return isIdToken(typ, err.payload) ? err.payload : null;
    }
    return null;
  }
}
