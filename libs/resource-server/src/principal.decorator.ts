import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal as VerifiedPrincipal } from './principal';
import { principalOf } from './request-principal';

/** The principal of a verified access token (see `principalFromClaims`). */
export type Principal = VerifiedPrincipal;

/** Injects the verified principal; the route must be guarded (`@RequireScopes()`), or this throws. */
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  if (!principal) throw new Error('no verified principal: guard the route with @RequireScopes()');
  return principal;
});
