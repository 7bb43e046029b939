import type { RegisteredClient } from '@tessera/clients';
import type { ActiveToken } from './active-token';

/** RFC 7662 §2.2: the answer for anything that is not an active token meant for the caller. */
export interface InactiveResponse {
  active: false;
}

/** RFC 7662 §2.2 members of an active token's answer, plus its required claims and `act`. */
export interface ActiveResponse {
  active: true;
  scope: string;
  client_id: string;
  sub: string;
  aud: string | string[];
  iss: string;
  exp: number;
  iat: number;
  jti: string;
  token_type: 'Bearer';
  act?: Record<string, unknown>;
  [claim: string]: unknown;
}

/** What `/oauth/introspect` answers. */
export type IntrospectionResponse = ActiveResponse | InactiveResponse;

/** The authenticated caller of `/oauth/introspect`, as far as the access rule needs it. */
export type IntrospectionCaller = Pick<RegisteredClient, 'clientId' | 'resourceIdentifiers'>;

/**
 * Who may learn about a token (RFC 7662 §2.2 "not meant for the caller",
 * §4 token scanning): the client the token was issued to, or a resource
 * server whose registered `resource_identifiers` include one of the token's
 * `aud` values (RFC 8707 resources: audiences are absolute URIs, never client
 * ids). Anyone else is told `active: false`.
 */
export function isMeantFor(token: ActiveToken, caller: IntrospectionCaller): boolean {
  return token.clientId === caller.clientId || caller.resourceIdentifiers.some((r) => token.aud.includes(r));
}

/** RFC 7662 §2.2: the answer about `token` (null: inactive) to `caller`. */
export function introspectionResponse(
  token: ActiveToken | null,
  caller: IntrospectionCaller,
  issuer: string,
): IntrospectionResponse {
  if (token === null || !isMeantFor(token, caller)) return { active: false };
  return {
    ...token.claims,
    active: true,
    scope: token.scope,
    client_id: token.clientId,
    sub: token.sub,
    aud: token.aud.length === 1 ? token.aud[0] : [...token.aud],
    iss: issuer,
    exp: token.exp,
    iat: token.iat,
    jti: token.jti,
    token_type: 'Bearer',
    ...(token.act !== undefined ? { act: token.act } : {}),
  };
}
