import { InsufficientScopeError } from './insufficient-scope.error';
import type { Principal } from './principal';

/** What a resource requires of a token: every listed scope and every listed claim. */
export interface AccessRequirements {
  /** Scopes the token must all hold (RFC 6749 §3.3). */
  scopes?: readonly string[];
  /** Claims the token must carry, e.g. `account_nr` for `orders_read` (DESIGN §5). */
  claims?: readonly string[];
}

/** Throws `InsufficientScopeError` (RFC 6750 §3.1, 403) unless the principal meets the requirements. */
export function assertRequirements(principal: Principal, required: AccessRequirements): void {
  const scopes = required.scopes ?? [];
  const missingScopes = scopes.filter((s) => !principal.scopes.includes(s));
  if (missingScopes.length > 0) throw new InsufficientScopeError(`scope required: ${missingScopes.join(' ')}`, scopes);
  const missingClaims = (required.claims ?? []).filter(
    (c) => principal.claims[c] === undefined || principal.claims[c] === null,
  );
  if (missingClaims.length > 0) throw new InsufficientScopeError(`claim required: ${missingClaims.join(' ')}`, scopes);
}
