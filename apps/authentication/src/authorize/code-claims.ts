import {
  BUILT_IN_SCOPES,
  OIDC_SCOPE_CLAIMS,
  type ScopeDefinedData,
  ScopeEvents,
  scopeStream,
} from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import type { AuthorizationCodeClaims } from '@tessera/contracts';
import type { DirectoryUser } from '../users/user.directory';
import { userClaims } from '../users/user-claims';

/** Scopes whose claims OIDC defines: the built-ins and the §5.4 standard scopes require no custom claim. */
const STANDARD_SCOPES: ReadonlySet<string> = new Set([
  ...BUILT_IN_SCOPES.map((s) => s.name),
  ...Object.keys(OIDC_SCOPE_CLAIMS),
]);

/** The user's standard claims released by `scopes` (OIDC Core §5.4), without `sub`. */
export function standardClaimsFor(user: DirectoryUser, scopes: readonly string[]): Record<string, unknown> {
  const all = userClaims(user) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const scope of scopes) {
    // Own keys only: a scope named `constructor` or `__proto__` releases nothing.
    const names = Object.hasOwn(OIDC_SCOPE_CLAIMS, scope) ? OIDC_SCOPE_CLAIMS[scope] : [];
    for (const name of names) if (Object.hasOwn(all, name) && all[name] !== undefined) out[name] = all[name];
  }
  return out;
}

/** The claims a scope requires (DESIGN §5), folded from `scope-<name>`; built-in OIDC scopes require none. */
export async function requiredClaimsOf(store: EventStore, scope: string): Promise<string[]> {
  if (STANDARD_SCOPES.has(scope)) return [];
  let claims: string[] = [];
  for (const e of await store.readStream(scopeStream(scope))) {
    if (e.type === ScopeEvents.defined) claims = [...(e.data as unknown as ScopeDefinedData).claims];
    else if (e.type === ScopeEvents.deleted) claims = [];
  }
  return claims;
}

/**
 * What the code carries, sealed under its value (brief 5): the ID token's
 * standard claims and the access token's required custom claims. A required
 * claim the user does not have is left out; the token endpoint refuses such a
 * token (DESIGN §5: carried, or not issued).
 */
export async function codeClaims(
  store: EventStore,
  user: DirectoryUser,
  scopes: readonly string[],
): Promise<AuthorizationCodeClaims> {
  const accessToken: Record<string, unknown> = {};
  for (const scope of scopes) {
    for (const name of await requiredClaimsOf(store, scope)) {
      if (user.claims[name] !== undefined) accessToken[name] = user.claims[name];
    }
  }
  return { idToken: standardClaimsFor(user, scopes), accessToken };
}
