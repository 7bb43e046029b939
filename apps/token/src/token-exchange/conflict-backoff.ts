/**
 * Attempts of a lineage write (an exchange, or a revocation with its
 * descendants) that keeps losing races on one token's stream. n concurrent
 * exchanges of one subject token need at most n rounds (each round one append
 * wins), so the cap is generous: parallel downstream calls with one user's
 * token are normal and must not fail because of each other.
 */
export const MAX_CONFLICT_ATTEMPTS = 64;

/** A tiny random pause (0–2 ms, growing to 0–8 ms) so that racing writers, on several replicas too, spread out. */
export function conflictBackoff(attempt: number): Promise<void> {
  const ms = Math.random() * 2 * Math.min(attempt, 4);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
