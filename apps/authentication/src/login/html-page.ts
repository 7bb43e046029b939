import type { FastifyReply } from 'fastify';

/** HTML-escapes text for element content and quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The origin of an absolute URL, for CSP `form-action` (null when not a URL). */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * Brief 5 "Pages": the CSP of every page. `form-action` lists where a form
 * post may end after its redirects (Chromium applies it to the whole chain),
 * so the pages of an authorization request allow the client's redirect origin.
 */
export function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  const targets = [...new Set(formTargets.map(originOf).filter((o): o is string => o !== null))];
  return [
    "default-src 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `form-action 'self'${targets.map((t) => ` ${t}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Headers every authentication response carries (pages and redirects). */
export function securityHeaders(reply: FastifyReply, formTargets: readonly string[] = []): FastifyReply {
  return reply
    .header('Content-Security-Policy', contentSecurityPolicy(formTargets))
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin-top:1rem;font-weight:600}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00;border:1px solid #a00;padding:.5rem}
code{word-break:break-all}`;

/** A whole page: title and trusted body HTML (callers escape what they interpolate). */
export function renderPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>
${body}</main></body></html>`;
}

/** Sends an HTML page with the security headers. */
export function sendPage(reply: FastifyReply, status: number, html: string, formTargets: readonly string[] = []): void {
  void securityHeaders(reply, formTargets).status(status).header('Content-Type', 'text/html; charset=utf-8').send(html);
}

/** RFC 9110 §15.4.4: 303 See Other (a POST answers with it; the browser follows with GET). */
export function seeOther(reply: FastifyReply, location: string): void {
  void securityHeaders(reply).status(303).header('Location', location).send();
}

/** An error page (never a redirect): for an unknown client, a bad redirect URI, an unknown request. */
export function sendErrorPage(reply: FastifyReply, status: number, message: string): void {
  sendPage(reply, status, renderPage('Cannot continue', `<p class="error" role="alert">${escapeHtml(message)}</p>`));
}
