import { Inject, Injectable } from '@nestjs/common';
import {
  activeSession,
  SessionEvents,
  type SessionEndedData,
  type SessionStartedData,
  type SessionState,
  sessionStream,
  userMayBeSignedIn,
  userStream,
} from '@tessera/contracts';
import { ConcurrencyError, type EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { bearerHandle, generateBearerValue, SESSION_PREFIX } from './bearer-value';

/** How long a login session lasts (absolute). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** RFC 8176 amr values and Tessera's acr values. */
export const ACR_PASSWORD = 'urn:tessera:acr:pwd';
export const ACR_MFA = 'urn:tessera:acr:mfa';

/** How the user authenticated. */
export interface Authentication {
  sub: string;
  amr: string[];
  acr: string;
  /** When (OIDC `auth_time`). */
  at: Date;
}

/**
 * Login sessions (brief 5): the cookie value is `tsr_ses_…`; the log knows it
 * only by handle, in stream `session-<handle>`. Lookups fold that stream
 * (exact the instant it was written).
 */
@Injectable()
export class SessionService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Starts a session; returns the cookie value (given to the browser only). */
  async start(auth: Authentication, correlationId?: string): Promise<{ value: string; session: SessionState }> {
    const value = generateBearerValue(SESSION_PREFIX);
    const data: SessionStartedData = {
      sessionHandle: bearerHandle(value),
      sub: auth.sub,
      authTime: auth.at.toISOString(),
      amr: auth.amr,
      acr: auth.acr,
      expiresAt: new Date(auth.at.getTime() + SESSION_TTL_MS).toISOString(),
    };
    await this.store.append(sessionStream(data.sessionHandle), 0, [
      {
        type: SessionEvents.started,
        data: data as unknown as Record<string, unknown>,
        metadata: { actor: `user:${auth.sub}`, ...(correlationId ? { correlationId } : {}) },
      },
    ]);
    return { value, session: { ...data, ended: false } };
  }

  /** The active session named by a cookie value, or null (also when its user was deleted or deactivated). */
  async current(cookieValue: string | undefined, now: Date): Promise<SessionState | null> {
    if (!cookieValue || !cookieValue.startsWith(SESSION_PREFIX) || cookieValue.length > 100) return null;
    const session = activeSession(await this.store.readStream(sessionStream(bearerHandle(cookieValue))), now);
    if (session === null) return null;
    return userMayBeSignedIn(await this.store.readStream(userStream(session.sub))) ? session : null;
  }

  /** Ends a session (idempotent: an ended or unknown one stays as it is). */
  async end(session: SessionState, now: Date, actor: string): Promise<void> {
    const events = await this.store.readStream(sessionStream(session.sessionHandle));
    if (events.length === 0 || events.some((e) => e.type === SessionEvents.ended)) return;
    const data: SessionEndedData = { sessionHandle: session.sessionHandle, endedAt: now.toISOString() };
    try {
      await this.store.append(sessionStream(session.sessionHandle), events.length, [
        { type: SessionEvents.ended, data: data as unknown as Record<string, unknown>, metadata: { actor } },
      ]);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err; // a concurrent logout ended it first
    }
  }
}
