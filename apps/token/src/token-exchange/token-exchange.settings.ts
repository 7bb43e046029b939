/** Policy lifetime of an exchanged token; it never outlives its subject token either (RFC 8693 §2.2.1). */
export const EXCHANGED_TOKEN_TTL_SECONDS = 300;
/** Most actors an `act` chain may name (RFC 8693 §4.1); a longer chain is refused with invalid_request. */
export const MAX_ACTOR_CHAIN_DEPTH = 5;
