import { ScopeEvents, type ScopeDefinedData, type ScopeDeletedData } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';

/** Scope name → the claims it requires (DESIGN §5), as of the audit consumer's log cursor. */
export type ScopeClaims = Map<string, string[]>;

/** Applies a scope event to the catalogue; returns whether it changed it. */
export function applyScopeEvent(scopes: ScopeClaims, event: RecordedEvent): boolean {
  if (event.type === ScopeEvents.defined) {
    const d = event.data as unknown as ScopeDefinedData;
    scopes.set(d.name, Array.isArray(d.claims) ? d.claims.filter((c) => typeof c === 'string') : []);
    return true;
  }
  if (event.type === ScopeEvents.deleted) {
    scopes.delete((event.data as unknown as ScopeDeletedData).name);
    return true;
  }
  return false;
}

/** The claims the scopes require, sorted and unique. */
export function requiredClaims(scopes: ScopeClaims, names: readonly string[]): string[] {
  return [...new Set(names.flatMap((n) => scopes.get(n) ?? []))].sort();
}
