import type { JWTPayload } from 'jose';

/** Injection token of the introspection service's JwtSigner. */
export const JWT_SIGNER = Symbol('tessera:introspection-jwt-signer');

/**
 * Signs with the introspection service's own active key (DESIGN §5: each
 * signing service holds its own keys; /jwks publishes every public key).
 */
export interface JwtSigner {
  /** A compact JWS with `alg`, `kid` and the given `typ` (`at+jwt`, `token-introspection+jwt`) in its header. */
  sign(payload: JWTPayload, options: { typ: string }): Promise<string>;
}
