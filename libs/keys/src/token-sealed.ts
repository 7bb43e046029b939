import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Data sealed under a bearer value (token, code) that the log only knows by
 * its SHA-256 handle: AES-256-GCM with a key derived by HKDF-SHA256 from the
 * value itself. Whoever presents the value can open it (the introspection
 * service, the token endpoint redeeming a code); the log alone cannot, and
 * once every copy of the value is gone the data is unreadable for good. This
 * is how claims about a person travel in events without being readable there
 * (DESIGN §2).
 */
export interface SealedWithToken {
  /** base64url of the 12-byte GCM nonce. */
  iv: string;
  /** base64url ciphertext. */
  ct: string;
  /** base64url 16-byte GCM tag. */
  tag: string;
}

const SALT = 'tessera/sealed-with-token/v1';

function keyFor(value: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', value, SALT, purpose, 32));
}

/** Bytes of the AES-GCM tag. */
const TAG_LENGTH = 16;

/** Seals `data` (JSON) under `value`; `purpose` (e.g. `access-token.claims`) binds the key and the AAD. */
export function sealWithToken(value: string, purpose: string, data: unknown): SealedWithToken {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(value, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const ct = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
}

/** Opens what `sealWithToken(value, purpose, …)` sealed; throws when the value or purpose is not the one used. */
export function openWithToken<T = unknown>(value: string, purpose: string, sealed: SealedWithToken): T {
  // A truncated tag would weaken the authentication (NIST SP 800-38D §5.2.1.2): exactly 16 bytes.
  const tag = Buffer.from(sealed.tag, 'base64url');
  if (tag.length !== TAG_LENGTH) throw new Error('sealed data: the authentication tag must be 16 bytes');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(value, purpose), Buffer.from(sealed.iv, 'base64url'), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as T;
}
