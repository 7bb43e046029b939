import { UserEvents } from './user.events';

// Login session events (issue 5, DESIGN §2). A session is named in the log only
// by handle = base64url(SHA-256(cookie value)); the cookie value never enters it.

/** Wire type strings of the session aggregate (stream `session-<handle>`), written once (STYLE 3). */
export const SessionEvents = {
  /** A user signed in: the cookie `tessera_session` now names this session. */
  started: 'session.started',
  /** The session was ended (logout); its cookie no longer signs anyone in. */
  ended: 'session.ended',
} as const;

/** Name of the session cookie (value `tsr_ses_…`), shared by every service on the issuer's origin. */
export const SESSION_COOKIE = 'tessera_session';

/** The stream id of a session, by the handle of its cookie value. */
export function sessionStream(sessionHandle: string): string {
  return `session-${sessionHandle}`;
}

/** `session.started`. */
export interface SessionStartedData {
  sessionHandle: string;
  /** The user's id. */
  sub: string;
  /** When the user authenticated (ISO 8601): OIDC `auth_time`. */
  authTime: string;
  /** RFC 8176 methods used: `pwd`, `otp`. */
  amr: string[];
  /** `urn:tessera:acr:pwd` or `urn:tessera:acr:mfa`. */
  acr: string;
  /** ISO 8601. */
  expiresAt: string;
}

/** `session.ended`. */
export interface SessionEndedData {
  sessionHandle: string;
  /** ISO 8601. */
  endedAt: string;
}

/** A session as folded from its stream. */
export interface SessionState {
  sessionHandle: string;
  sub: string;
  authTime: string;
  amr: string[];
  acr: string;
  expiresAt: string;
  ended: boolean;
}

/** Pure fold of a session stream; null when it never started. */
export function foldSession(events: readonly { type: string; data: unknown }[]): SessionState | null {
  let state = null as SessionState | null;
  for (const e of events) {
    if (e.type === SessionEvents.started) {
      const d = e.data as object as SessionStartedData;
      state = { ...d, amr: [...d.amr], ended: false };
    } else if (e.type === SessionEvents.ended && state !== null) {
      state = { ...state, ended: true };
    }
  }
  return state;
}

/** The signed-in session the stream describes at `now`, or null (never started, ended or expired). */
export function activeSession(events: readonly { type: string; data: unknown }[], now: Date): SessionState | null {
  const state = foldSession(events);
  if (state === null || state.ended || Date.parse(state.expiresAt) <= now.getTime()) return null;
  return state;
}

/**
 * Pure fold of `user-<id>`: may this user be signed in? False once deleted or
 * deactivated, or when the stream is empty: a session of such a user signs no one in.
 */
export function userMayBeSignedIn(events: readonly { type: string; data: unknown }[]): boolean {
  let active = false;
  for (const e of events) {
    if (e.type === UserEvents.created || e.type === UserEvents.updated) {
      active = (e.data as { active?: unknown }).active === true;
    } else if (e.type === UserEvents.deleted) {
      return false;
    }
  }
  return active;
}
