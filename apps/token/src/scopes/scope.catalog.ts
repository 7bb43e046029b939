import { Inject, Injectable } from '@nestjs/common';
import { scopeStream } from '@tessera/contracts';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import { BUILT_IN_SCOPES, builtInScope } from './built-in-scopes';
import { foldScope, type ScopeState } from './scope.decider';

/** A scope as the token endpoint needs it (DESIGN §5: its required claims). */
export interface ScopeDefinition {
  name: string;
  description: string;
  requiredClaims: string[];
  builtIn: boolean;
}

function definition(s: ScopeState): ScopeDefinition {
  return { name: s.name, description: s.description, requiredClaims: [...s.claims], builtIn: s.builtIn === true };
}

/**
 * The scopes that exist: built-ins plus defined ones. `get` folds each scope's
 * stream (a scope's events are few), so a redefinition or a delete counts at
 * once — ReadThrough would serve a stale row until the runner catches up.
 * `list` reads the `token.scopes` read model.
 */
@Injectable()
export class ScopeCatalog {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The defined scopes among `names`, in order; unknown names are left out (compare lengths to find them). */
  async get(names: readonly string[]): Promise<ScopeDefinition[]> {
    const found = await Promise.all(
      [...new Set(names)].map(
        async (name) => builtInScope(name) ?? foldScope(await this.store.readStream(scopeStream(name))),
      ),
    );
    return found.filter((s): s is ScopeState => s !== null && s !== undefined).map(definition);
  }

  /** Every scope: built-ins first, then the read model's rows by name. */
  async list(): Promise<ScopeDefinition[]> {
    const rows = await this.db
      .query<{ state: ScopeState }>('SELECT state FROM token.scopes ORDER BY key')
      .catch((err: { code?: string }) => {
        if (err.code === '42P01') return []; // the runner has not created the table yet
        throw err;
      });
    const stored = rows.map((r) => r.state).filter((s) => !builtInScope(s.name));
    return [...BUILT_IN_SCOPES, ...stored].map(definition);
  }
}
