import type { ScopeState } from './scope.decider';

/**
 * OpenID Connect Core §5.4 / §11 scopes, built into the catalog rather than
 * stored: they cannot be redefined or deleted. Their claims are released per
 * OIDC, not required, so `claims` is empty.
 */
export const BUILT_IN_SCOPES: readonly ScopeState[] = Object.freeze([
  { name: 'openid', description: 'Sign you in (OpenID Connect)', claims: [], builtIn: true },
  { name: 'profile', description: 'Your basic profile: name, picture, locale', claims: [], builtIn: true },
  { name: 'email', description: 'Your email address', claims: [], builtIn: true },
  {
    name: 'offline_access',
    description: 'Access while you are not signed in (refresh tokens)',
    claims: [],
    builtIn: true,
  },
]);

/** The built-in scope of that name, if any. */
export function builtInScope(name: string): ScopeState | undefined {
  return BUILT_IN_SCOPES.find((s) => s.name === name);
}
