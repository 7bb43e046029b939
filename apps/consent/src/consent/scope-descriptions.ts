import { Inject, Injectable } from '@nestjs/common';
import { BUILT_IN_SCOPES, type ScopeDefinedData, ScopeEvents, scopeStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';

/** What the consent page says of one scope. */
export interface ScopeDescription {
  name: string;
  description: string;
  /** The claims a grant of this scope releases to the client. */
  claims: string[];
}

/** The built-in scopes (OIDC Core §5.4) and the standard claims each releases (§5.1). */
const BUILT_IN: readonly ScopeDescription[] = BUILT_IN_SCOPES.map(({ name, description, releases }) => ({
  name,
  description,
  claims: [...releases],
}));

/** Pure fold of a `scope-<name>` stream (the token service's admin API writes it); null when undefined or deleted. */
export function foldScopeDescription(events: readonly { type: string; data: unknown }[]): ScopeDescription | null {
  let scope: ScopeDescription | null = null;
  for (const e of events) {
    if (e.type === ScopeEvents.defined) {
      const d = e.data as ScopeDefinedData;
      scope = { name: d.name, description: d.description, claims: [...d.claims] };
    } else if (e.type === ScopeEvents.deleted) {
      scope = null;
    }
  }
  return scope;
}

/**
 * The scopes the consent page describes: built-ins, then each defined scope
 * folded from its own stream (exact: a scope redefined a moment ago shows its
 * new claims). The token app is not imported (STYLE 1: services share only the log).
 */
@Injectable()
export class ScopeDescriptions {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The description of each name, in order; unknown scopes are left out. */
  async describe(names: readonly string[]): Promise<ScopeDescription[]> {
    const found = await Promise.all(
      names.map(
        async (name) =>
          BUILT_IN.find((s) => s.name === name) ?? foldScopeDescription(await this.store.readStream(scopeStream(name))),
      ),
    );
    return found.filter((s): s is ScopeDescription => s !== null);
  }
}
