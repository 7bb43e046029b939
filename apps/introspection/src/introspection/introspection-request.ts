import { type HeaderBag, InvalidRequestError } from '@tessera/oauth';

/** An introspection request's parameters (RFC 7662 §2.1). */
export interface IntrospectionRequest {
  token: string;
  /** The form as parsed, for client authentication (client_secret_post, private_key_jwt). */
  form: Record<string, unknown>;
}

/**
 * RFC 7662 §2.1: a form body with `token` (REQUIRED) and `token_type_hint`
 * (OPTIONAL; never trusted here: every lookup goes by handle). Each parameter
 * at most once (RFC 6749 §3.2).
 */
export function parseIntrospectionForm(headers: HeaderBag, body: unknown): Record<string, unknown> {
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (
    type !== 'application/x-www-form-urlencoded' ||
    body === null ||
    typeof body !== 'object' ||
    Array.isArray(body)
  ) {
    throw new InvalidRequestError('the request body must be application/x-www-form-urlencoded');
  }
  const form = body as Record<string, unknown>;
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string') throw new InvalidRequestError(`parameter ${name} must be given once`);
  }
  return form;
}

/** The `token` parameter; its absence is `invalid_request` (RFC 7662 §2.3). */
export function requiredToken(form: Record<string, unknown>): string {
  const token = form.token;
  if (typeof token !== 'string' || token === '') throw new InvalidRequestError('parameter token is missing');
  return token;
}
