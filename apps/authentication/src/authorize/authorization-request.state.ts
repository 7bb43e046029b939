import { type AuthorizationRequestReceivedData, AuthorizationEvents } from '@tessera/contracts';

/** An authorization request as folded from its stream. */
export interface AuthorizationRequestState extends AuthorizationRequestReceivedData {
  /** True once it issued a code: a request yields at most one. */
  completed: boolean;
  /** The stream version folded (the expected version of the completing append). */
  version: number;
}

/** Pure fold of `authrequest-<id>`; null when the request was never received. */
export function foldAuthorizationRequest(
  events: readonly { type: string; data: unknown; streamVersion: number }[],
): AuthorizationRequestState | null {
  let state = null as AuthorizationRequestState | null;
  for (const e of events) {
    if (e.type === AuthorizationEvents.requestReceived) {
      state = { ...(e.data as object as AuthorizationRequestReceivedData), completed: false, version: e.streamVersion };
    } else if (e.type === AuthorizationEvents.requestCompleted && state !== null) {
      state = { ...state, completed: true, version: e.streamVersion };
    }
  }
  return state;
}
