import { InvalidRequestError } from '@tessera/oauth';

/** Form parameters of a token or revocation request: each at most once, except the listed repeatable ones. */
export interface FormParams {
  /** The value of a single-valued parameter. */
  get(name: string): string | undefined;
  /** Every value of a repeatable parameter (RFC 8707 `resource`). */
  all(name: string): string[];
  /** The body as parsed, for client authentication. */
  readonly raw: Record<string, unknown>;
}

/** Parameters RFC 8707 §2 allows more than once. */
const REPEATABLE = new Set(['resource', 'audience']);

/**
 * RFC 6749 §3.2: parameters sent without a value are treated as omitted and
 * must not be repeated (a repeated one is `invalid_request`). The body must be
 * a form (formbody makes repeated keys arrays).
 */
export function parseFormParams(body: unknown): FormParams {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError('the request body must be application/x-www-form-urlencoded');
  }
  const raw = body as Record<string, unknown>;
  const values = new Map<string, string[]>();
  for (const [name, value] of Object.entries(raw)) {
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((v): v is string => typeof v === 'string'))
      throw new InvalidRequestError(`parameter ${name} is malformed`);
    const present = list.filter((v) => v !== '');
    if (present.length > 1 && !REPEATABLE.has(name)) throw new InvalidRequestError(`parameter ${name} is repeated`);
    if (present.length > 0) values.set(name, present);
  }
  return {
    get: (name) => values.get(name)?.[0],
    all: (name) => values.get(name) ?? [],
    raw,
  };
}

/** A parameter the request cannot do without. */
export function required(params: FormParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new InvalidRequestError(`parameter ${name} is missing`);
  return value;
}

/** RFC 6749 §3.2, RFC 7009 §2.1: the body of a token or revocation request is a form; anything else is refused. */
export function formBody(headers: Record<string, string | string[] | undefined>, body: unknown): unknown {
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequestError('the request body must be application/x-www-form-urlencoded');
  }
  return body ?? {};
}
