import { Inject, Injectable } from '@nestjs/common';
import {
  AuthorizationEvents,
  type AuthorizationRequestReceivedData,
  authorizationRequestStream,
} from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { type AuthorizationRequestState, foldAuthorizationRequest } from './authorization-request.state';

/** Authorization requests in the log (stream `authrequest-<id>`), read back exactly by stream. */
@Injectable()
export class AuthorizationRequestRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Records a validated request. */
  async record(request: AuthorizationRequestReceivedData, correlationId?: string): Promise<void> {
    await this.store.append(authorizationRequestStream(request.requestId), 0, [
      {
        type: AuthorizationEvents.requestReceived,
        data: request as unknown as Record<string, unknown>,
        metadata: { actor: `client:${request.clientId}`, ...(correlationId ? { correlationId } : {}) },
      },
    ]);
  }

  /** The request, or null (unknown or malformed id). */
  async get(requestId: string | undefined): Promise<AuthorizationRequestState | null> {
    if (!requestId || !/^[A-Za-z0-9_-]{22}$/.test(requestId)) return null;
    return foldAuthorizationRequest(await this.store.readStream(authorizationRequestStream(requestId)));
  }
}
