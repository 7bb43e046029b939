import { InvalidClientError, InvalidRequestError } from './errors';

/** Header bag as Node/Fastify gives it. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** What a request presents to authenticate its client (RFC 6749 §2.3). */
export type PresentedClientCredentials =
  | { method: 'client_secret_basic'; clientId: string; clientSecret: string }
  | { method: 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'none'; clientId: string }
  /** RFC 7523 §2.2: `client_id` is optional here; the assertion's `sub` names the client. */
  | { method: 'private_key_jwt'; clientId: string | undefined; clientAssertion: string };

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 6749 Appendix B: application/x-www-form-urlencoded decoding ('+' is a space); null if malformed. */
export function formUrlDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function single(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  // RFC 6749 §3.2: parameters must not be included more than once (form parsers give arrays).
  if (typeof value !== 'string') throw new InvalidRequestError(`${name} must be given once, as a string`);
  return value;
}

/** RFC 6749 §2.3.1: `Basic base64(urlencode(id) ":" urlencode(secret))`; null if not a Basic header. */
export function parseBasicAuthorization(
  header: string | string[] | undefined,
): { clientId: string; clientSecret: string } | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw new InvalidRequestError('more than one Authorization header');
  if (!/^Basic(\s|$)/i.test(header)) return null;
  const fail = () => new InvalidClientError('malformed Basic credentials', true);
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) throw fail();
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw fail();
  const clientId = formUrlDecode(decoded.slice(0, colon));
  const clientSecret = formUrlDecode(decoded.slice(colon + 1));
  if (!clientId || clientSecret === null) throw fail();
  return { clientId, clientSecret };
}

/**
 * The one client authentication method a token-endpoint request uses
 * (RFC 6749 §2.3: a client MUST NOT use more than one). Throws
 * InvalidRequestError for two methods or repeated parameters, InvalidClientError
 * when there are no credentials at all.
 */
export function presentedClientCredentials(
  headers: HeaderBag,
  body: Record<string, unknown> | undefined,
): PresentedClientCredentials {
  const form = body ?? {};
  const basic = parseBasicAuthorization(headers['authorization']);
  const bodyId = single(form, 'client_id');
  const bodySecret = single(form, 'client_secret');
  const assertionType = single(form, 'client_assertion_type');
  const assertion = single(form, 'client_assertion');
  if (assertionType !== undefined || assertion !== undefined) {
    if (basic || bodySecret !== undefined) throw new InvalidRequestError('more than one client authentication method');
    if (assertionType !== JWT_BEARER_CLIENT_ASSERTION_TYPE || !assertion) {
      // RFC 7521 §4.2: an unusable assertion is invalid_client, like a wrong secret.
      throw new InvalidClientError('unsupported or missing client assertion', false);
    }
    return { method: 'private_key_jwt', clientId: bodyId === '' ? undefined : bodyId, clientAssertion: assertion };
  }
  if (basic) {
    if (bodySecret !== undefined) throw new InvalidRequestError('more than one client authentication method');
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new InvalidRequestError('client_id does not match the Authorization header');
    }
    return { method: 'client_secret_basic', ...basic };
  }
  if (bodyId === undefined || bodyId === '') {
    if (bodySecret !== undefined) throw new InvalidRequestError('client_secret without client_id');
    throw new InvalidClientError('client authentication required', true);
  }
  if (bodySecret !== undefined) return { method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
  return { method: 'none', clientId: bodyId };
}
