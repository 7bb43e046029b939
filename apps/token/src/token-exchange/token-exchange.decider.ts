import type { ActClaim } from '@tessera/contracts';
import { actorChainDepth, InvalidRequestError, InvalidTargetError, narrowScope, nestActor } from '@tessera/oauth';
import { EXCHANGED_TOKEN_TTL_SECONDS, MAX_ACTOR_CHAIN_DEPTH } from './token-exchange.settings';

/** What the exchange decides on: the calling client's policy, the checked request and the subject token. */
export interface ExchangeInput {
  /** audience → scopes the client may obtain for it (`token_exchange_policy`). */
  policy: Readonly<Record<string, readonly string[]>>;
  target: string;
  /** Requested scope, undefined when none was asked. */
  scope?: readonly string[];
  subject: {
    scopes: readonly string[];
    act?: ActClaim;
    /** ISO 8601. */
    expiresAt: string;
  };
  /** The new actor: the actor token's `sub`, else the calling client's id. */
  actor: string;
  issuer: string;
  now: Date;
}

/** What to issue. */
export interface ExchangeDecision {
  audience: string;
  granted: string[];
  dropped: string[];
  act: ActClaim;
  notAfter: Date;
}

/** The scopes the client may obtain for `target`; `invalid_target` when its policy does not name it (RFC 8693 §2.2.2). */
export function allowanceFor(policy: ExchangeInput['policy'], target: string): readonly string[] {
  if (!Object.hasOwn(policy, target)) {
    throw new InvalidTargetError('the client may not exchange tokens for this audience');
  }
  return policy[target];
}

/**
 * Pure (STYLE 5): the exchange's rules in order. The audience must be in the
 * client's policy (`invalid_target`); the delegation chain within the
 * maximum depth, else the subject token is "unacceptable based on policy",
 * `invalid_request` (RFC 8693 §2.2.2); the scope only narrows
 * (`invalid_scope`); the token lives at most the policy lifetime and never
 * past its subject (§2.2.1).
 *
 * No `may_act` check (RFC 8693 §4.4): no issuance path can put `may_act` in a
 * token (it is a reserved claim name that user claims never carry, and no
 * grant sets it), so such a check could never refuse anything. Who may act is
 * the client's `token_exchange_policy`; add the check with an issuance path.
 */
export function decideExchange(input: ExchangeInput): ExchangeDecision {
  const allowance = allowanceFor(input.policy, input.target);
  const act = nestActor(input.actor, input.subject.act) as ActClaim;
  if (actorChainDepth(act) > MAX_ACTOR_CHAIN_DEPTH) {
    throw new InvalidRequestError(`the delegation chain would exceed ${MAX_ACTOR_CHAIN_DEPTH} actors`);
  }
  const { granted, dropped } = narrowScope(input.subject.scopes, allowance, input.scope);
  const notAfter = new Date(
    Math.min(input.now.getTime() + EXCHANGED_TOKEN_TTL_SECONDS * 1000, Date.parse(input.subject.expiresAt)),
  );
  return { audience: input.target, granted, dropped, act, notAfter };
}
