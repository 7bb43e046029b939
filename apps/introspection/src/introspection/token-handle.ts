import { createHash } from 'node:crypto';

/** Longer than any token Tessera issues (a 43-char opaque value, or an RFC 9068 JWT with its claims). */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * The name a presented token goes by in the log: base64url(SHA-256(value))
 * (DESIGN §2); null when the value cannot be a token at all (empty, too long,
 * or characters outside RFC 6750 §2.1 b64token and the JWT alphabet).
 */
export function handleOf(token: unknown): string | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return null;
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
