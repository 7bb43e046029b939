import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit random secret, base64url (43 chars): high entropy, so SHA-256 suffices (no slow hash; issue 3 §1). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A 128-bit random client id, base64url. */
export function generateClientId(): string {
  return randomBytes(16).toString('base64url');
}

/** SHA-256 of a secret: the only form in which secrets are stored. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(presented: string, storedHash: Buffer): boolean {
  const candidate = hashSecret(presented);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}

/** A hash no secret matches, compared against when the client is unknown so both paths do the same work. */
export const DUMMY_SECRET_HASH: Buffer = hashSecret(randomBytes(32).toString('base64url'));
