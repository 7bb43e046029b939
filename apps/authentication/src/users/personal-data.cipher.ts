import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedPersonalData } from '@tessera/contracts';
import { PersonalDataUnreadableError } from './user.errors';
import type { UserProfile } from './user-profile';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // NIST SP 800-38D §8.2: a random 96-bit IV per encryption
const TAG_BYTES = 16;

/** Bytes of a user's data key (AES-256). */
export const USER_KEY_BYTES = 32;

/**
 * Seals and opens one user's personal data with their own key (DESIGN §2:
 * crypto-shredding). The AAD binds the user id, so a ciphertext copied into
 * another user's event does not open.
 */
export class PersonalDataCipher {
  readonly #key: Buffer;

  constructor(
    key: Buffer,
    readonly userId: string,
  ) {
    if (key.length !== USER_KEY_BYTES) throw new Error('a user data key must be 32 bytes (AES-256)');
    this.#key = Buffer.from(key);
  }

  /** Encrypts a profile. */
  seal(profile: UserProfile): SealedPersonalData {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.aad());
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(profile), 'utf8'), cipher.final()]);
    return {
      alg: 'A256GCM',
      iv: iv.toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
    };
  }

  /** Decrypts a sealed profile; throws PersonalDataUnreadableError unless key, user and bytes all match. */
  open(sealed: SealedPersonalData): UserProfile {
    try {
      const iv = Buffer.from(sealed.iv, 'base64url');
      const tag = Buffer.from(sealed.tag, 'base64url');
      if (sealed.alg !== 'A256GCM' || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('malformed');
      const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(this.aad());
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as UserProfile;
    } catch {
      throw new PersonalDataUnreadableError(`personal data of user ${this.userId} does not open`);
    }
  }

  toJSON(): string {
    return '[redacted]';
  }

  private aad(): Buffer {
    return Buffer.from(`tessera:user:${this.userId}`, 'utf8');
  }
}

/** A fresh random data key for a new user. */
export function generateUserKey(): Buffer {
  return randomBytes(USER_KEY_BYTES);
}
