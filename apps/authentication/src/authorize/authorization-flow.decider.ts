import type { SessionState } from '@tessera/contracts';
import type { OAuthError } from '@tessera/oauth';
import type { AuthorizationRequestState } from './authorization-request.state';
import { AccessDeniedError, ConsentRequiredError, LoginRequiredError } from './authorize.errors';

/** The user's consent to one client, as the authorize step needs it. */
export interface ConsentView {
  consentId: string;
  /** Scopes granted so far (cumulative); empty when revoked. */
  scopes: string[];
  revoked: boolean;
  /** When it was last granted (ISO 8601; the consent service's clock: informative only). */
  lastGrantedAt?: string;
  /** The authorization request the last grant answered: honours `prompt=consent` once, for that request only. */
  lastRequestId?: string;
}

/** Everything the next step of an authorization request depends on, read by the caller. */
export interface ContinueInput {
  request: AuthorizationRequestState | null;
  /** The active session of the browser, if any, whose user is still active. */
  session: SessionState | null;
  consent: ConsentView | null;
  /** The consent page answered "deny" (`consent=denied` on the continue URL). */
  consentDenied?: boolean;
  now: Date;
}

/** What to do next with an authorization request. */
export type ContinueDecision =
  | { kind: 'error-page'; message: string }
  | { kind: 'redirect-error'; error: OAuthError }
  | { kind: 'login' }
  | { kind: 'consent' }
  | { kind: 'issue'; session: SessionState; scope: string; consentId?: string };

function prompts(request: AuthorizationRequestState): string[] {
  return request.prompt ? request.prompt.split(' ') : [];
}

/** OIDC Core §3.1.2.1 `prompt=login` and `max_age`: must the user authenticate again? */
export function needsLogin(request: AuthorizationRequestState, session: SessionState | null, now: Date): boolean {
  if (session === null) return true;
  const authTime = Date.parse(session.authTime);
  // Signed in during this request: both asks are met (and max_age=0 does not loop). Both stamps
  // come from this service's clock (authTime from the login step, receivedAt from /oauth/authorize).
  if (authTime >= Date.parse(request.receivedAt)) return false;
  if (prompts(request).includes('login')) return true;
  return request.maxAge !== undefined && now.getTime() - authTime > request.maxAge * 1000;
}

/**
 * Brief 5: consent is needed iff a requested scope other than `openid` is not
 * granted yet, or `prompt=consent` asks for it and it was not given for this request.
 */
export function needsConsent(request: AuthorizationRequestState, consent: ConsentView | null): boolean {
  if (answeredForRequest(request, consent)) return false;
  const granted = consent === null || consent.revoked ? [] : consent.scopes;
  const missing = request.scope.split(' ').some((s) => s !== 'openid' && !granted.includes(s));
  return missing || prompts(request).includes('consent');
}

/**
 * The user answered the consent page of this very request (granted all or some, issue 5 §8):
 * bound by request id, not by comparing the consent service's clock with ours (skew), so a
 * grant answering a concurrent request does not count for this one.
 */
function answeredForRequest(request: AuthorizationRequestState, consent: ConsentView | null): boolean {
  if (consent === null || consent.revoked || consent.lastRequestId === undefined) return false;
  return consent.lastRequestId === request.requestId;
}

/** The scopes the code grants: those requested that the consent covers, and `openid` when requested. */
export function grantedScopes(request: AuthorizationRequestState, consent: ConsentView | null): string[] {
  const granted = consent === null || consent.revoked ? [] : consent.scopes;
  return request.scope.split(' ').filter((s) => s === 'openid' || granted.includes(s));
}

/** Pure: the next step of the flow (DESIGN §1 flow: login → consent → code). */
export function decideContinue({ request, session, consent, consentDenied, now }: ContinueInput): ContinueDecision {
  if (request === null) return { kind: 'error-page', message: 'The authorization request is unknown.' };
  if (request.completed) return { kind: 'error-page', message: 'The authorization request was already used.' };
  if (Date.parse(request.expiresAt) <= now.getTime()) {
    return {
      kind: 'error-page',
      message: 'The authorization request expired. Please start again from the application.',
    };
  }
  const none = prompts(request).includes('none');
  if (needsLogin(request, session, now)) {
    // OIDC Core §3.1.2.6: prompt=none must not show any page.
    return none
      ? { kind: 'redirect-error', error: new LoginRequiredError('the user is not signed in') }
      : { kind: 'login' };
  }
  if (consentDenied) return { kind: 'redirect-error', error: new AccessDeniedError('the user denied the request') };
  if (needsConsent(request, consent)) {
    return none
      ? { kind: 'redirect-error', error: new ConsentRequiredError('consent is required') }
      : { kind: 'consent' };
  }
  return {
    kind: 'issue',
    session: session!,
    scope: grantedScopes(request, consent).join(' '),
    ...(consent !== null && !consent.revoked ? { consentId: consent.consentId } : {}),
  };
}
