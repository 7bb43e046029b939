/** Attributes of the cookies the authentication pages set. */
export interface CookieOptions {
  /** False only for `http://localhost…` / `http://127.0.0.1…` issuers (brief 5). */
  secure: boolean;
  /** Seconds; omitted for a browser-session cookie, 0 to delete. */
  maxAge?: number;
  sameSite?: 'Lax' | 'Strict';
}

/** RFC 6265 §4.1: one `Set-Cookie` value, always HttpOnly and Path=/. */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${opts.sameSite ?? 'Lax'}`];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join('; ');
}

/** RFC 6265 §5.4: the named cookie from a `Cookie` header (the first one when repeated). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether cookies may go without `Secure`: only for a plain-http loopback issuer. */
export function cookiesNeedSecure(issuer: string): boolean {
  return !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(issuer);
}
