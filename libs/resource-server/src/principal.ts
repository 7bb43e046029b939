import type { JWTPayload } from 'jose';
import { InvalidTokenError, parseScope } from '@tessera/oauth';

/** One actor of a delegation chain: the claims of one `act` object, without its nested `act` (RFC 8693 §4.1). */
export interface Actor {
  /** The actor's subject (usually the calling service's client id). */
  sub?: string;
  /** Any other claim identifying the actor (`iss`, `client_id`, …). */
  [claim: string]: unknown;
}

/** Who a verified access token speaks for, as an API sees it. */
export interface Principal {
  /** The resource owner, or the client itself for client credentials (RFC 9068 §2.2). */
  sub: string;
  /** The client the token was issued to (RFC 9068 §2.2 `client_id`). */
  clientId: string;
  /** The granted scopes (RFC 9068 §2.2.3). */
  scopes: readonly string[];
  /** Every claim of the token (e.g. `account_nr` required by `orders_read`, DESIGN §5). */
  claims: Readonly<JWTPayload>;
  /** The `act` nesting flattened outermost-first: the current actor first, the original caller last. */
  actorChain: readonly Actor[];
}

/** Deeper `act` nesting than this is refused: no legitimate chain is that long, and it bounds the work. */
export const MAX_ACTOR_CHAIN_DEPTH = 16;

/** Builds the principal from verified claims; malformed `scope`, `client_id` or `act` make the token invalid. */
export function principalFromClaims(claims: JWTPayload): Principal {
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidTokenError('sub missing');
  if (typeof claims.client_id !== 'string' || claims.client_id === '') {
    throw new InvalidTokenError('client_id missing');
  }
  // RFC 9068 §2.2.3: `scope` is a space-delimited string; an absent scope grants nothing.
  const scopes = claims.scope === undefined ? [] : parseScope(claims.scope);
  if (scopes === null) throw new InvalidTokenError('scope malformed');
  return { sub: claims.sub, clientId: claims.client_id, scopes, claims, actorChain: actorChain(claims.act) };
}

/** RFC 8693 §4.1: the outermost `act` is the current actor; each nested `act` is a prior one. */
function actorChain(act: unknown): Actor[] {
  const chain: Actor[] = [];
  let current = act;
  while (current !== undefined) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) {
      throw new InvalidTokenError('act malformed');
    }
    if (chain.length === MAX_ACTOR_CHAIN_DEPTH) throw new InvalidTokenError('act chain too deep');
    const { act: prior, ...actor } = current as Record<string, unknown>;
    if (actor.sub !== undefined && typeof actor.sub !== 'string') throw new InvalidTokenError('act malformed');
    chain.push(actor);
    current = prior;
  }
  return chain;
}
