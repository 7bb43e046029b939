import { InsufficientScopeError, type Principal } from '@tessera/resource-server';

/**
 * RFC 8693 §4.1: billing is only called by the orders API on someone's
 * behalf, so the current actor (the outermost `act`) must be the orders API's
 * client. A token without `act` (the caller's own token) is refused: it was
 * never meant for billing, even if it carried the scope.
 */
export function assertActor(principal: Principal, trustedActor: string): void {
  const actor = principal.actorChain[0];
  if (actor?.sub !== trustedActor)
    throw new InsufficientScopeError('a delegated token from the orders API is required');
}
