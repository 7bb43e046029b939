import { type JWTPayload, SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.service';

/** Options of ActiveKeySigner.sign. */
export interface SignOptions {
  /** JOSE `typ` header, e.g. `at+jwt` (RFC 9068), `token-introspection+jwt` (RFC 9701), `JWT` for ID tokens. */
  typ: string;
}

/**
 * Signs JWTs with the owner's active signing key (DESIGN §5): compact JWS whose
 * header names the key (`kid`) so verifiers find it in /jwks. Claims (iat, exp, …) are the caller's.
 */
export class ActiveKeySigner {
  constructor(private readonly keys: SigningKeys) {}

  /** A compact JWS of `payload` with `alg`, `kid` and `typ` in the protected header. */
  async sign(payload: JWTPayload, options: SignOptions): Promise<string> {
    const { kid, alg, key } = await this.keys.current();
    return new SignJWT(payload).setProtectedHeader({ alg, kid, typ: options.typ }).sign(key);
  }
}
