import {
  type AuthorizationCodeIssuedData,
  type AuthorizationCodeRedeemedData,
  AuthorizationEvents,
} from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import { InvalidGrantError, InvalidRequestError, isCodeVerifier, verifyS256 } from '@tessera/oauth';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';

/** An authorization code as its stream `authcode-<handle>` tells it. */
export interface AuthorizationCodeState {
  issued: AuthorizationCodeIssuedData;
  /** Set once redeemed: the code is spent (RFC 6749 §4.1.2: single use). */
  redeemed?: AuthorizationCodeRedeemedData;
}

/** The token request's side of a redemption (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface RedeemAuthorizationCode {
  /** The authenticated client (or the public client named by client_id). */
  clientId: string;
  /** Public clients (and clients registered with `require_pkce`) must have used PKCE. */
  pkceRequired: boolean;
  redirectUri?: string;
  codeVerifier?: string;
}

/** A first redemption goes ahead; a code already redeemed is a replay (RFC 9700 §4.5). */
export type RedemptionDecision =
  | { kind: 'redeem'; code: AuthorizationCodeIssuedData }
  | { kind: 'replay'; code: AuthorizationCodeIssuedData; redeemed: AuthorizationCodeRedeemedData };

/** Folds the code's stream; null when no code has this handle. */
export function authorizationCodeFrom(events: readonly RecordedEvent[]): AuthorizationCodeState | null {
  let state: AuthorizationCodeState | null = null;
  for (const e of events) {
    if (e.type === AuthorizationEvents.codeIssued) {
      state = { issued: e.data as unknown as AuthorizationCodeIssuedData };
    } else if (e.type === AuthorizationEvents.codeRedeemed && state !== null) {
      const issued: AuthorizationCodeIssuedData = state.issued;
      state = { issued, redeemed: e.data as unknown as AuthorizationCodeRedeemedData };
    }
  }
  return state;
}

/** RFC 7636 §4.1: a verifier that is sent must be well-formed (a malformed request, not a bad grant). */
export function checkVerifierSyntax(codeVerifier: string | undefined): void {
  if (codeVerifier !== undefined && !isCodeVerifier(codeVerifier)) {
    throw new InvalidRequestError('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)');
  }
}

/**
 * Pure: RFC 6749 §4.1.3's checks as named steps. A spent code is a replay
 * whoever presents it (possession of the code is what the attack needs); the
 * rest throw invalid_grant without saying which check failed to a caller
 * that may be probing.
 */
export function decideRedemption(
  state: AuthorizationCodeState | null,
  request: RedeemAuthorizationCode,
  now: Date,
): RedemptionDecision {
  if (!state) throw new InvalidGrantError('authorization code is invalid');
  const code = state.issued;
  if (state.redeemed) return { kind: 'replay', code, redeemed: state.redeemed };
  if (now.getTime() >= Date.parse(code.expiresAt)) throw new InvalidGrantError('authorization code expired');
  // RFC 6749 §4.1.3: issued to this client.
  if (code.clientId !== request.clientId)
    throw new InvalidGrantError('authorization code was issued to another client');
  // RFC 6749 §4.1.3: the redirect URI of the authorization request, identical (string comparison).
  if (request.redirectUri === undefined) throw new InvalidRequestError('parameter redirect_uri is missing');
  if (request.redirectUri !== code.redirectUri) throw new InvalidGrantError('redirect_uri does not match the code');
  checkPkce(code, request);
  return { kind: 'redeem', code };
}

/** RFC 7636 §4.6; RFC 9700 §2.1.1: no verifier without a challenge (downgrade), none missing with one. */
function checkPkce(code: AuthorizationCodeIssuedData, request: RedeemAuthorizationCode): void {
  if (code.codeChallenge === undefined) {
    if (request.codeVerifier !== undefined) throw new InvalidGrantError('code_verifier sent for a code without PKCE');
    if (request.pkceRequired) throw new InvalidGrantError('the client must use PKCE');
    return;
  }
  if (request.codeVerifier === undefined) throw new InvalidGrantError('code_verifier is missing (PKCE)');
  if (code.codeChallengeMethod !== 'S256' || !verifyS256(request.codeVerifier, code.codeChallenge)) {
    throw new InvalidGrantError('code_verifier does not match the code_challenge (PKCE)');
  }
}

/** The `authorization-code.redeemed` event: the code is spent, naming what it issued. */
export function codeRedeemed(
  code: AuthorizationCodeIssuedData,
  issued: { accessTokenHandle: string; familyId?: string },
  meta: CommandMeta,
): NewEvent {
  const data: AuthorizationCodeRedeemedData = {
    handle: code.handle,
    clientId: code.clientId,
    accessTokenHandle: issued.accessTokenHandle,
    ...(issued.familyId !== undefined ? { familyId: issued.familyId } : {}),
    redeemedAt: meta.now.toISOString(),
  };
  return { type: AuthorizationEvents.codeRedeemed, data: { ...data }, metadata: eventMetadata(meta) };
}
