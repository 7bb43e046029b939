import { createHash, randomBytes } from 'node:crypto';

/** Prefix of session cookie values (brief 5). */
export const SESSION_PREFIX = 'tsr_ses_';
/** Prefix of authorization codes (brief 5). */
export const CODE_PREFIX = 'tsr_ac_';

/** A new bearer value: prefix + base64url of 256 random bits. */
export function generateBearerValue(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** The name a bearer value goes by in the log: base64url(SHA-256(value)) (DESIGN §2). */
export function bearerHandle(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** A 128-bit random id, base64url (authorization request ids, CSRF tokens). */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
