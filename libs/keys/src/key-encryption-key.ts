import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // NIST SP 800-38D §8.2: a random 96-bit IV per encryption
const TAG_BYTES = 16;

/** Ciphertext sealed by a KeyEncryptionKey; every field is needed to open it. */
export interface SealedSecret {
  /** Which KEK sealed it (`KeyEncryptionKey.id`); part of the AAD. */
  kekId: string;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/** Opening a sealed secret failed: wrong KEK, wrong context, or tampered data. */
export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

/**
 * The key-encryption key of DESIGN §5 (TESSERA_KEK): AES-256-GCM with a random
 * 96-bit IV per secret. The AAD binds the KEK id and a caller context (the kid),
 * so a ciphertext copied onto another key's row does not open.
 */
export class KeyEncryptionKey {
  /** A non-secret fingerprint of the KEK (first 8 bytes of its SHA-256), stored beside each ciphertext. */
  readonly id: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('a key-encryption key must be 32 bytes (AES-256)');
    this.#key = Buffer.from(key);
    this.id = 'kek-' + createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  /** Encrypts `plaintext`, authenticating `context` (e.g. the kid) with it. */
  seal(plaintext: Buffer, context: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.aad(this.id, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { kekId: this.id, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  /** Decrypts a sealed secret; throws SealedSecretError unless KEK, context and bytes are all intact. */
  open(sealed: SealedSecret, context: string): Buffer {
    if (sealed.kekId !== this.id) {
      throw new SealedSecretError(`sealed with ${sealed.kekId}, but TESSERA_KEK is ${this.id}`);
    }
    if (sealed.iv.length !== IV_BYTES || sealed.authTag.length !== TAG_BYTES) {
      throw new SealedSecretError('malformed sealed secret');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.#key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(this.aad(sealed.kekId, context));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    } catch {
      throw new SealedSecretError('sealed secret failed authentication (wrong key, context or tampered)');
    }
  }

  toJSON(): string {
    return '[redacted]';
  }

  private aad(kekId: string, context: string): Buffer {
    return Buffer.from(`tessera:${kekId}:${context}`, 'utf8');
  }
}
