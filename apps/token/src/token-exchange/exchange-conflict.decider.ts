import { TokenExchangeEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';

/**
 * What an exchange does when its append lost a race (ConcurrencyError):
 * `append-again` the same minted token at the subject stream's new version,
 * or `decide-again` from a fresh read of the subject (which refuses a revoked
 * one with `invalid_request`, RFC 8693 §2.2.2).
 */
export type ExchangeConflictOutcome = 'append-again' | 'decide-again';

/**
 * Pure (STYLE 5). `since` = the subject token's events after the version the
 * exchange decided on. Only `token.exchanged` there (sibling exchanges of the
 * same subject) leaves the subject as it was decided on: the decision stands,
 * and appending at the new version still keeps the lineage link on the
 * parent's stream and still fails if a revocation comes first. Anything else
 * (a revocation, or no new event: another guard such as the refresh family
 * moved) is decided again.
 */
export function decideAfterConflict(since: readonly Pick<RecordedEvent, 'type'>[]): ExchangeConflictOutcome {
  const onlySiblings = since.length > 0 && since.every((e) => e.type === TokenExchangeEvents.tokenExchanged);
  return onlySiblings ? 'append-again' : 'decide-again';
}
