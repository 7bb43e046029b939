import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A CSRF token bound to the session and to what the form acts on: HMAC-SHA256
 * keyed with the session cookie's value, which a cross-site attacker cannot
 * read (the cookie is HttpOnly and SameSite=Lax), over the purpose and its
 * subject. Stateless: nothing to store, nothing in the log.
 */
export function csrfToken(sessionValue: string, purpose: string, subject: string): string {
  return createHmac('sha256', sessionValue).update(`tessera.csrf ${purpose} ${subject}`, 'utf8').digest('base64url');
}

/** Constant-time check of a submitted token. */
export function csrfValid(sessionValue: string, purpose: string, subject: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const expected = Buffer.from(csrfToken(sessionValue, purpose, subject));
  const given = Buffer.from(submitted);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
