import type { AuditActor } from '@tessera/contracts';

const ACTOR = /^(user|client|service|system):([\x21-\x7e]{1,200})$/;
const MAX_ACT_DEPTH = 10;

/** The actor of an event from its metadata (`user:<id>`, `client:<id>`, `service:<name>`, `system`); anything else is `unknown`. */
export function auditActor(actor: unknown, act: unknown): AuditActor {
  const chain = actChain(act);
  const withChain = (a: AuditActor): AuditActor => (chain.length > 0 ? { ...a, act: chain } : a);
  if (actor === 'system') return withChain({ kind: 'system' });
  const match = typeof actor === 'string' ? ACTOR.exec(actor) : null;
  // An unrecognised actor string is not copied: it could carry anything.
  if (!match) return withChain({ kind: 'unknown' });
  return withChain({ kind: match[1] as AuditActor['kind'], id: match[2] });
}

/**
 * RFC 8693 §4.1: the outermost `act` is the current actor, each nested `act`
 * a prior one; only `sub` and `client_id` are kept (ids, never other claims).
 */
export function actChain(act: unknown): NonNullable<AuditActor['act']> {
  const chain: NonNullable<AuditActor['act']> = [];
  let current = act;
  while (current !== null && typeof current === 'object' && chain.length < MAX_ACT_DEPTH) {
    const { sub, client_id: clientId, act: prior } = current as Record<string, unknown>;
    chain.push({
      ...(typeof sub === 'string' ? { sub } : {}),
      ...(typeof clientId === 'string' ? { clientId } : {}),
    });
    current = prior;
  }
  return chain;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a W3C `traceparent` (Trace Context §3.2), or undefined. */
export function traceIdOf(traceparent: unknown): string | undefined {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  return match?.[1];
}
