import { KeyObject, type webcrypto } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import type { JWTPayload } from 'jose';
import type { SigningKeys } from './signing-keys.service';

/** Options of ActiveKeySigner.sign. */
export interface SignOptions {
  /** JOSE `typ` header, e.g. `at+jwt` (RFC 9068), `token-introspection+jwt` (RFC 9701), `JWT` for ID tokens. */
  typ: string;
}

type Signer = (payload: JWTPayload) => string;

/** Signers kept (one per key and `typ`; a few keys are live at a time, rotation adds one). */
const MAX_SIGNERS = 32;

/**
 * Signs JWTs with the owner's active signing key (DESIGN §5): compact JWS whose
 * header names the key (`kid`) so verifiers find it in /jwks. Claims (iat, exp, …) are the caller's.
 *
 * Signing goes through fast-jwt (node:crypto, synchronous): WebCrypto's sign, which jose uses, cost
 * ~3× the CPU per ES256 signature, and every exchanged or phantom token is one (issue 6 benchmark).
 * Verification stays with jose everywhere.
 */
export class ActiveKeySigner {
  private readonly signers = new Map<string, Signer>();

  constructor(private readonly keys: SigningKeys) {}

  /** A compact JWS of `payload` with `alg`, `kid` and `typ` in the protected header. */
  async sign(payload: JWTPayload, options: SignOptions): Promise<string> {
    const { kid, alg, key } = await this.keys.current();
    // fast-jwt keeps a payload's own iat and adds none with noTimestamp (which would also drop one given):
    // either way the claims are exactly the caller's, as with jose.
    const noTimestamp = payload.iat === undefined;
    const id = `${kid} ${options.typ} ${noTimestamp}`;
    let signer = this.signers.get(id);
    if (!signer) {
      if (this.signers.size >= MAX_SIGNERS) this.signers.clear();
      const pem = KeyObject.from(key as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' });
      signer = createSigner({ key: pem, algorithm: alg, kid, noTimestamp, header: { alg, typ: options.typ } });
      this.signers.set(id, signer);
    }
    return signer(payload);
  }
}
