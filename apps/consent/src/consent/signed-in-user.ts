import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { activeSession, SESSION_COOKIE, sessionStream, userMayBeSignedIn, userStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';

/** Who is signed in, from the session cookie. */
export interface SignedInUser {
  sub: string;
  /** The cookie value: keys the CSRF tokens of this session's forms; never logged or stored. */
  sessionValue: string;
}

const SESSION_VALUE = /^tsr_ses_[A-Za-z0-9_-]{43}$/;

/** The value of cookie `name` in a Cookie header (RFC 6265 §5.4), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Reads "who is signed in" as brief5 says: hash the `tessera_session` cookie
 * into its handle and fold `session-<handle>` from the log (exact, no read
 * model lag), with the fold authentication exports in @tessera/contracts; the
 * user's stream says whether they still exist and are active.
 */
@Injectable()
export class SignedInUsers {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The signed-in user, or null when there is no live session. */
  async fromCookies(cookieHeader: string | undefined, now: Date): Promise<SignedInUser | null> {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    if (value === undefined || !SESSION_VALUE.test(value)) return null;
    const handle = createHash('sha256').update(value, 'utf8').digest('base64url');
    const session = activeSession(await this.store.readStream(sessionStream(handle)), now);
    if (session === null) return null;
    // A deleted or deactivated user is signed out everywhere, whatever their session says.
    if (!userMayBeSignedIn(await this.store.readStream(userStream(session.sub)))) return null;
    return { sub: session.sub, sessionValue: value };
  }
}
