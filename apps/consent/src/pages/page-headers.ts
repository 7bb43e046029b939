import type { FastifyReply } from 'fastify';

/**
 * Headers of every consent page (brief5 "Pages"): nothing loads from
 * elsewhere, forms post only to this origin, no framing (clickjacking on a
 * consent button), no referrer, no caching of a page that names the user's grants.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});

/**
 * Sends an HTML page with the page headers. `formTargets`: URLs a form's redirect chain ends at (the
 * client's redirect URI): CSP `form-action` covers redirects after a submission (CSP3 §6.3.1), so
 * Chromium blocks the consent form's final 303 to the client unless its origin is listed.
 */
export function sendPage(reply: FastifyReply, status: number, body: string, formTargets: readonly string[] = []): void {
  const origins = formTargets.flatMap((u) => (URL.canParse(u) ? [new URL(u).origin] : [])).filter((o) => o !== 'null');
  const csp = PAGE_HEADERS['Content-Security-Policy'].replace(
    "form-action 'self'",
    ["form-action 'self'", ...new Set(origins)].join(' '),
  );
  void reply
    .status(status)
    .headers({ ...PAGE_HEADERS, 'Content-Security-Policy': csp })
    .type('text/html; charset=utf-8')
    .send(body);
}

/** Answers a POST with 303 See Other (brief5: POST answers 303). */
export function seeOther(reply: FastifyReply, location: string): void {
  void reply.status(303).headers(PAGE_HEADERS).header('Location', location).send();
}
