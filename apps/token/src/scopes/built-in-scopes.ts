import { BUILT_IN_SCOPES as BUILT_INS } from '@tessera/contracts';
import type { ScopeState } from './scope.decider';

/**
 * OpenID Connect Core §5.4 / §11 scopes, built into the catalog rather than
 * stored: they cannot be redefined or deleted. Their claims are released per
 * OIDC, not required, so `claims` is empty.
 */
export const BUILT_IN_SCOPES: readonly ScopeState[] = Object.freeze(
  BUILT_INS.map(({ name, description }) => ({ name, description, claims: [], builtIn: true })),
);

/** The built-in scope of that name, if any. */
export function builtInScope(name: string): ScopeState | undefined {
  return BUILT_IN_SCOPES.find((s) => s.name === name);
}
