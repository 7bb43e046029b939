import { IllegalStateError, NotFoundError } from '@tessera/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { scopeStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import type { CommandMeta } from '../clients/client.decider';
import { builtInScope } from './built-in-scopes';
import { decide, foldScope, type ScopeCommand, type ScopeState } from './scope.decider';
import { ScopeCatalog, type ScopeDefinition } from './scope.catalog';
import { validateScopeDefinition, validateScopeName } from './scope-definition.validator';

/** Defines and deletes scopes: load the stream, decide, append with the expected version (STYLE 5). */
@Injectable()
export class ScopeService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: ScopeCatalog,
  ) {}

  /** PUT: creates or redefines the scope. */
  async define(name: string, body: unknown, meta: CommandMeta): Promise<ScopeDefinition> {
    validateScopeName(name);
    const { description, claims } = validateScopeDefinition(body);
    const state = await this.apply(name, { type: 'DefineScope', name, description, claims }, meta);
    return { name, description: state!.description, requiredClaims: state!.claims, builtIn: false };
  }

  /** GET: the scope, built-in or defined. */
  async get(name: string): Promise<ScopeDefinition> {
    validateScopeName(name);
    const [found] = await this.catalog.get([name]);
    if (!found) throw new NotFoundError(`scope ${name} is not defined`);
    return found;
  }

  /** DELETE */
  async delete(name: string, meta: CommandMeta): Promise<void> {
    validateScopeName(name);
    await this.apply(name, { type: 'DeleteScope', name }, meta);
  }

  private async apply(name: string, command: ScopeCommand, meta: CommandMeta): Promise<ScopeState | null> {
    if (builtInScope(name)) throw new IllegalStateError(`${name} is a built-in scope and cannot be changed`);
    const streamId = scopeStream(name);
    const history = await this.store.readStream(streamId);
    const events = decide(foldScope(history), command, meta);
    if (events.length > 0) await this.store.append(streamId, history.length, events);
    return foldScope([...history, ...events]);
  }
}
