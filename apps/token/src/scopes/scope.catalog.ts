import { Inject, Injectable } from '@nestjs/common';
import { scopeStream } from '@tessera/contracts';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import type { GuardedScopeRequirements, StreamGuard } from '../tokens/token-ports';
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

/** A scope as folded from its stream, and the stream version it was folded at (0: never defined). */
interface FoldedScope {
  state: ScopeState | null;
  version: number;
}

/** Scopes kept in the cache of `getGuarded`; beyond it the cache starts again (names come from admins, so few). */
const MAX_CACHED_SCOPES = 10_000;

/**
 * The scopes that exist: built-ins plus defined ones. `get` folds each scope's
 * stream (a scope's events are few), so a redefinition or a delete counts at
 * once — ReadThrough would serve a stale row until the runner catches up.
 * `getGuarded` answers from a per-process cache of those folds, with the
 * stream versions as guards: the token append carries them, so a token is
 * still only issued against the scope definition the log holds at commit
 * (issue 3 benchmark: no catalogue read per token). `list` reads the
 * `token.scopes` read model.
 */
@Injectable()
export class ScopeCatalog {
  private readonly cache = new Map<string, FoldedScope>();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The defined scopes among `names`, in order; unknown names are left out (compare lengths to find them). */
  async get(names: readonly string[]): Promise<ScopeDefinition[]> {
    const found = await Promise.all(
      [...new Set(names)].map(async (name) => builtInScope(name) ?? (await this.fold(name)).state),
    );
    return found.filter((s): s is ScopeState => s !== null && s !== undefined).map(definition);
  }

  /** Like `get`, from the cache where it can, with a guard per defined (or never defined) scope read. */
  async getGuarded(names: readonly string[]): Promise<GuardedScopeRequirements> {
    let fresh = true;
    const folded = await Promise.all(
      [...new Set(names)].map(async (name) => {
        const builtIn = builtInScope(name);
        if (builtIn) return { name, state: builtIn as ScopeState | null, guard: null };
        let scope = this.cache.get(name);
        if (scope) fresh = false;
        else scope = await this.fold(name);
        return { name, state: scope.state, guard: { streamId: scopeStream(name), version: scope.version } };
      }),
    );
    return {
      requirements: folded
        .filter((f) => f.state !== null)
        .map((f) => ({ name: f.name, requiredClaims: [...f.state!.claims] })),
      guards: folded.map((f) => f.guard).filter((g): g is StreamGuard => g !== null),
      fresh,
    };
  }

  /** Drops the cached folds of these scopes. */
  forget(names: readonly string[]): void {
    for (const name of names) this.cache.delete(name);
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

  /** Folds the scope's stream; the result also refreshes the cache (it is exact now). */
  private async fold(name: string): Promise<FoldedScope> {
    const events = await this.store.readStream(scopeStream(name));
    const scope = {
      state: foldScope(events),
      version: events.length === 0 ? 0 : events[events.length - 1].streamVersion,
    };
    if (this.cache.size >= MAX_CACHED_SCOPES) this.cache.clear();
    this.cache.set(name, scope);
    return scope;
  }
}
