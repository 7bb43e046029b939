import type { JWK } from 'jose';
import type { KeyEncryptionKey, SealedSecret } from './key-encryption-key';

/** Seals a private JWK under the KEK, bound to its kid (the AAD context). */
export function sealPrivateJwk(kek: KeyEncryptionKey, kid: string, privateJwk: JWK): SealedSecret {
  return kek.seal(Buffer.from(JSON.stringify(privateJwk), 'utf8'), `signing-key:${kid}`);
}

/** Opens a private JWK sealed by sealPrivateJwk; throws SealedSecretError when KEK, kid or bytes do not match. */
export function openPrivateJwk(kek: KeyEncryptionKey, kid: string, sealed: SealedSecret): JWK {
  const jwk = JSON.parse(kek.open(sealed, `signing-key:${kid}`).toString('utf8')) as JWK;
  if (jwk.kid !== kid) throw new Error(`sealed key ${kid} holds key ${String(jwk.kid)}`);
  return jwk;
}
