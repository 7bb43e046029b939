/**
 * OpenID Connect Core §5.4: the standard claims each standard scope requests
 * (names only; a claim the user lacks is not released). `openid` itself only
 * asks for an ID token (§3.1.2.1), whose `sub` is always present.
 */
export const OIDC_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  profile: Object.freeze([
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ]),
  email: Object.freeze(['email', 'email_verified']),
  address: Object.freeze(['address']),
  phone: Object.freeze(['phone_number', 'phone_number_verified']),
});

/** A scope every Tessera deployment has, which no admin can redefine or delete. */
export interface BuiltInScope {
  name: string;
  /** Shown on consent screens. */
  description: string;
  /** The standard claims a grant of it releases (OIDC Core §5.4); released, never required. */
  releases: readonly string[];
}

/** The OpenID Connect Core §5.4 / §11 scopes built into the scope catalogue, in catalogue order. */
export const BUILT_IN_SCOPES: readonly BuiltInScope[] = Object.freeze([
  { name: 'openid', description: 'Sign you in (OpenID Connect)', releases: ['sub'] },
  { name: 'profile', description: 'Your basic profile: name, picture, locale', releases: OIDC_SCOPE_CLAIMS.profile },
  { name: 'email', description: 'Your email address', releases: OIDC_SCOPE_CLAIMS.email },
  { name: 'offline_access', description: 'Access while you are not signed in (refresh tokens)', releases: [] },
]);

/** The built-in scope of that name, if any. */
export function builtInScope(name: string): BuiltInScope | undefined {
  return BUILT_IN_SCOPES.find((s) => s.name === name);
}
