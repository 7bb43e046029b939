/** One form field as a string (absent, repeated or non-string values count as missing). */
export function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** A same-origin path to return to after sign-in (no scheme, no `//`, no backslash), else undefined. */
export function safeNext(next: string | undefined): string | undefined {
  if (!next || next.length > 512) return undefined;
  return /^\/(?![/\\])[A-Za-z0-9/_\-.~%?=&]*$/.test(next) ? next : undefined;
}

/** Where a finished sign-in goes: back to its authorization request, to `next`, or to the account page. */
export function afterLogin(request: string | undefined, next: string | undefined): string {
  if (request) return `/oauth/authorize/continue?request=${encodeURIComponent(request)}`;
  return safeNext(next) ?? '/account/mfa';
}
