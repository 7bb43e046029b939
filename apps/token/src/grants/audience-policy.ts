import { InvalidTargetError } from '@tessera/oauth';
import type { RegisteredClient } from '../clients/registered-client';

/**
 * Which audience a client credentials token is for (RFC 8707). Tessera's rule:
 * a client may target the resource servers its registration names, i.e. the
 * audiences of its `token_exchange_policy` (the one place client metadata
 * lists APIs), and Tessera itself (the issuer). One resource per token, so
 * `aud` names only that resource; no resource asked → the client's only
 * registered API if it has exactly one, else the issuer.
 */
export function resolveAudience(client: RegisteredClient, requested: readonly string[], issuer: string): string {
  const allowed = [...Object.keys(client.tokenExchangePolicy), issuer];
  const distinct = [...new Set(requested)];
  if (distinct.length > 1) throw new InvalidTargetError('only one resource or audience per token');
  if (distinct.length === 0) {
    const apis = Object.keys(client.tokenExchangePolicy);
    return apis.length === 1 ? apis[0] : issuer;
  }
  const target = distinct[0];
  // RFC 8707 §2: an absolute URI without a fragment.
  if (!isAbsoluteUriWithoutFragment(target))
    throw new InvalidTargetError('resource must be an absolute URI without fragment');
  if (!allowed.includes(target)) throw new InvalidTargetError('the client may not obtain tokens for this resource');
  return target;
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}

/**
 * The audience of a token redeemed from an authorization code (RFC 8707
 * §2.2): bound to what the authorization request named (§2.1), so it is not
 * chosen freely at redemption. A resource asked for must be one of the code's
 * (else invalid_target); none asked and the code names one: that one; neither
 * names any: the client's default audience (`resolveAudience`). The client's
 * registered policy is checked in every case.
 */
export function resolveCodeAudience(
  client: RegisteredClient,
  authorized: readonly string[] | undefined,
  requested: readonly string[],
  issuer: string,
): string {
  const distinct = [...new Set(requested)];
  const bound = authorized ?? [];
  if (distinct.length === 0) {
    if (bound.length > 1) throw new InvalidTargetError('the authorization named several resources: request one');
    return resolveAudience(client, bound, issuer);
  }
  if (distinct.length > 1) throw new InvalidTargetError('only one resource or audience per token');
  if (!bound.includes(distinct[0])) {
    throw new InvalidTargetError('resource was not named in the authorization request (RFC 8707 §2.2)');
  }
  return resolveAudience(client, distinct, issuer);
}
