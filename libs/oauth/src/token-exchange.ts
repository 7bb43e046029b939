import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from './errors';
import { isResourceIdentifier } from './resource-indicator';
import { parseScope } from './scope-string';

/** RFC 8693 §2.1 grant type. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: an OAuth 2.0 access token (reference or JWT). */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** RFC 8693 §3: a JWT. */
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** A token exchange `act` claim (RFC 8693 §4.1): the current actor, prior actors nested. */
export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
}

/** A presented token and the type the client says it is. */
export interface PresentedToken {
  token: string;
  type: typeof ACCESS_TOKEN_TYPE | typeof JWT_TOKEN_TYPE;
}

/** The parameters of a token exchange request (RFC 8693 §2.1), checked. */
export interface TokenExchangeRequest {
  subject: PresentedToken;
  actor?: PresentedToken;
  /** The one `audience` or `resource` the new token is for. */
  target: string;
  /** The requested scope; undefined when none was asked. */
  scope?: string[];
}

/** Reads the request's parameters: single-valued ones with `get`, `audience`/`resource` with `all`. */
export interface ExchangeParams {
  get(name: string): string | undefined;
  all(name: string): string[];
}

function tokenType(value: string | undefined, param: string): PresentedToken['type'] {
  if (value === undefined) throw new InvalidRequestError(`parameter ${param} is missing`);
  if (value !== ACCESS_TOKEN_TYPE && value !== JWT_TOKEN_TYPE) {
    throw new InvalidRequestError(`${param} ${value} is not supported`);
  }
  return value;
}

/**
 * RFC 8693 §2.1: `subject_token` and its type are required; `actor_token` and
 * `actor_token_type` go together; `requested_token_type` may only ask for an
 * access token (issued as a JWT); one target, as `audience` or `resource`
 * (§2.1: several are allowed by the RFC, Tessera issues one token per audience,
 * so more than one is `invalid_target`, §2.2.2).
 */
export function parseTokenExchangeRequest(params: ExchangeParams): TokenExchangeRequest {
  const subjectToken = params.get('subject_token');
  if (subjectToken === undefined) throw new InvalidRequestError('parameter subject_token is missing');
  const subject: PresentedToken = {
    token: subjectToken,
    type: tokenType(params.get('subject_token_type'), 'subject_token_type'),
  };
  const actorToken = params.get('actor_token');
  const actorType = params.get('actor_token_type');
  if ((actorToken === undefined) !== (actorType === undefined)) {
    throw new InvalidRequestError('actor_token and actor_token_type go together (RFC 8693 §2.1)');
  }
  const requested = params.get('requested_token_type');
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) {
    throw new InvalidRequestError(`requested_token_type ${requested} is not supported`);
  }
  const targets = [...new Set([...params.all('audience'), ...params.all('resource')])];
  if (targets.length === 0) throw new InvalidRequestError('one audience or resource is required');
  if (targets.length > 1) throw new InvalidTargetError('only one audience or resource per token');
  const resource = params.all('resource')[0];
  // RFC 8707 §2: a resource is an absolute URI without a fragment.
  if (resource !== undefined && !isResourceIdentifier(resource)) {
    throw new InvalidTargetError('resource must be an absolute URI without fragment');
  }
  const rawScope = params.get('scope');
  let scope: string[] | undefined;
  if (rawScope !== undefined) {
    const parsed = parseScope(rawScope);
    if (parsed === null) throw new InvalidScopeError('scope is malformed');
    scope = parsed;
  }
  return {
    subject,
    ...(actorToken !== undefined
      ? { actor: { token: actorToken, type: tokenType(actorType, 'actor_token_type') } }
      : {}),
    target: targets[0],
    ...(scope !== undefined ? { scope } : {}),
  };
}

/** The scopes a token exchange grants and those it drops from the subject's. */
export interface NarrowedScope {
  granted: string[];
  dropped: string[];
}

/**
 * Privilege reduction (DESIGN §5): the result is the requested scope (default:
 * the subject's scope ∩ the audience's allowance) and must be ⊆ both, never
 * widened; anything beyond is `invalid_scope` (RFC 6749 §5.2).
 */
export function narrowScope(
  subjectScopes: readonly string[],
  allowance: readonly string[],
  requested: readonly string[] | undefined,
): NarrowedScope {
  const held = new Set(subjectScopes);
  const allowed = new Set(allowance);
  let granted: string[];
  if (requested === undefined) {
    granted = subjectScopes.filter((s) => allowed.has(s));
    if (granted.length === 0) throw new InvalidScopeError('the subject holds no scope allowed for this audience');
  } else {
    const notHeld = requested.filter((s) => !held.has(s));
    if (notHeld.length > 0) throw new InvalidScopeError(`the subject token does not hold: ${notHeld.join(' ')}`);
    const notAllowed = requested.filter((s) => !allowed.has(s));
    if (notAllowed.length > 0) {
      throw new InvalidScopeError(`not allowed for this audience by the client's policy: ${notAllowed.join(' ')}`);
    }
    granted = [...requested];
  }
  const kept = new Set(granted);
  return { granted, dropped: subjectScopes.filter((s) => !kept.has(s)) };
}

/** RFC 8693 §4.1: the new actor wraps the subject token's chain. */
export function nestActor(actor: string, previous: ActorClaim | undefined): ActorClaim {
  return previous === undefined ? { sub: actor } : { sub: actor, act: previous };
}

/** How many actors an `act` chain names (0 for none). */
export function actorChainDepth(act: ActorClaim | undefined): number {
  let depth = 0;
  for (let current = act; current !== undefined; current = current.act) depth++;
  return depth;
}
