import { OAuthError } from '@tessera/oauth';
import { assertRequirements, type AccessRequirements } from './access-requirements';
import type { AccessTokenVerifier } from './access-token-verifier';
import { bearerChallenge, extractBearerToken, type BearerChallenge } from './bearer-challenge';
import type { Principal } from './principal';

/** The outcome of `authorizeRequest`: the principal, or the RFC 6750 answer to send. */
export type AuthorizationResult = { ok: true; principal: Principal } | { ok: false; challenge: BearerChallenge };

/**
 * The guard's logic for plain Node (node:http, Express, Fastify hooks): reads
 * the bearer token of an `Authorization` header, verifies it and checks the
 * requirements; on refusal, gives the status, `WWW-Authenticate` and body to answer with.
 */
export async function authorizeRequest(
  verifier: AccessTokenVerifier,
  authorization: string | readonly string[] | undefined,
  required: AccessRequirements = {},
  realm?: string,
): Promise<AuthorizationResult> {
  try {
    const token = extractBearerToken(authorization);
    if (token === null) return { ok: false, challenge: bearerChallenge(null, realm) };
    const { principal } = await verifier.verify(token);
    assertRequirements(principal, required);
    return { ok: true, principal };
  } catch (err) {
    if (err instanceof OAuthError) return { ok: false, challenge: bearerChallenge(err, realm) };
    throw err;
  }
}
