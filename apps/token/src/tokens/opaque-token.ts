import { createHash, randomBytes } from 'node:crypto';

/** Prefix of opaque access tokens: recognisable, so secret scanners can find leaks (DESIGN §5). */
export const ACCESS_TOKEN_PREFIX = 'tsr_at_';
/** Prefix of refresh tokens. */
export const REFRESH_TOKEN_PREFIX = 'tsr_rt_';

/** A new opaque token: prefix + base64url of 256 random bits (43 characters). */
export function generateOpaqueToken(kind: 'access' | 'refresh'): string {
  const prefix = kind === 'access' ? ACCESS_TOKEN_PREFIX : REFRESH_TOKEN_PREFIX;
  return prefix + randomBytes(32).toString('base64url');
}

/** The name a token goes by in the log and read models: base64url(SHA-256(value)) (DESIGN §2). */
export function tokenHandle(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
