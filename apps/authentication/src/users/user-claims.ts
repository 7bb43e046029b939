import { OIDC_SCOPE_CLAIMS } from '@tessera/contracts';
import type { DirectoryUser } from './user.directory';
import type { ClaimValue } from './user-profile';

/** Claims about a user for ID tokens, userinfo and the scope → claims contract (OpenID Connect Core §5.1). */
export type UserClaimSet = { sub: string } & Record<string, ClaimValue>;

/**
 * Claim names the OpenID Connect / JWT registries define, which the custom
 * claims extension may not set: a custom claim can never pose as `sub`,
 * `email_verified` or a token's own claims (RFC 7519 §4.1, OIDC Core §2, §5.1).
 */
export const RESERVED_CLAIM_NAMES: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'at_hash',
  'c_hash',
  's_hash',
  'sid',
  'scope',
  'client_id',
  'act',
  'may_act',
  'cnf',
  'typ',
  ...Object.values(OIDC_SCOPE_CLAIMS).flat(),
]);

/**
 * The claims of a user (OpenID Connect Core §5.1): `sub` is the user id;
 * `email` is the primary (else first) address; `email_verified` is false
 * because Tessera has not verified it (SCIM provisioning is not verification);
 * then the custom claims, which never override the standard ones.
 */
export function userClaims(user: DirectoryUser): UserClaimSet {
  const claims: UserClaimSet = { sub: user.id };
  for (const [name, value] of Object.entries(user.claims)) {
    if (!RESERVED_CLAIM_NAMES.has(name)) claims[name] = value;
  }
  claims.preferred_username = user.userName;
  const email = user.emails.find((e) => e.primary) ?? user.emails[0];
  if (email) {
    claims.email = email.value;
    claims.email_verified = false;
  }
  const name = user.name?.formatted ?? user.displayName ?? joinName(user.name?.givenName, user.name?.familyName);
  if (name) claims.name = name;
  if (user.name?.givenName) claims.given_name = user.name.givenName;
  if (user.name?.familyName) claims.family_name = user.name.familyName;
  return claims;
}

function joinName(given: string | undefined, family: string | undefined): string | undefined {
  const parts = [given, family].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
