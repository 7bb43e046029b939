import type { Principal } from './principal';

// Keyed by the request object itself: nothing is added to the framework's request.
const principals = new WeakMap<object, Principal>();

/** Records the verified principal of a request (the guard does). */
export function attachPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/** The verified principal of a request, or undefined when no guard verified one. */
export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}
