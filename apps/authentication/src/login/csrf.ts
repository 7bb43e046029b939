import { timingSafeEqual } from 'node:crypto';
import { randomId } from '../sessions/bearer-value';
import { readCookie, serializeCookie } from '../sessions/cookies';

/** The double-submit CSRF cookie (OWASP CSRF cheat sheet): the form field must equal it. */
export const CSRF_COOKIE = 'tessera_csrf';

/** The browser's CSRF token and, when it had none, the `Set-Cookie` that gives it one. */
export function csrfTokenFor(
  cookieHeader: string | string[] | undefined,
  secure: boolean,
): { token: string; setCookie?: string } {
  const existing = readCookie(cookieHeader, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{22}$/.test(existing)) return { token: existing };
  const token = randomId();
  return { token, setCookie: serializeCookie(CSRF_COOKIE, token, { secure, sameSite: 'Strict' }) };
}

/** True when the posted token equals the cookie (constant-time). */
export function csrfValid(cookieHeader: string | string[] | undefined, posted: unknown): boolean {
  const cookie = readCookie(cookieHeader, CSRF_COOKIE);
  if (!cookie || typeof posted !== 'string' || posted.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(posted));
}
