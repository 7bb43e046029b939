import { Inject, Injectable } from '@nestjs/common';
import {
  AuthorizationEvents,
  type AuthorizationRequestReceivedData,
  authorizationRequestStream,
} from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';

const REQUEST_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Pure: the request still waiting for consent, or null (unknown, completed or expired). */
export function pendingRequest(
  events: readonly { type: string; data: unknown }[],
  now: Date,
): AuthorizationRequestReceivedData | null {
  const received = events.find((e) => e.type === AuthorizationEvents.requestReceived);
  if (!received || events.some((e) => e.type === AuthorizationEvents.requestCompleted)) return null;
  const request = received.data as AuthorizationRequestReceivedData;
  return Date.parse(request.expiresAt) > now.getTime() ? request : null;
}

/** Reads the authorization request a consent page is about (stream `authrequest-<id>`, written by authentication). */
@Injectable()
export class AuthorizationRequests {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The pending request of that id, or null. */
  async pending(requestId: unknown, now: Date): Promise<AuthorizationRequestReceivedData | null> {
    if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) return null;
    return pendingRequest(await this.store.readStream(authorizationRequestStream(requestId)), now);
  }
}
