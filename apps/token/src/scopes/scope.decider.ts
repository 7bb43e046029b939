import { IllegalStateError, NotFoundError } from '@tessera/event-store';
import { type ScopeDefinedData, type ScopeDeletedData, ScopeEvents } from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import type { CommandMeta } from '../clients/client.decider';

/** A scope: the contract between clients, consent screens and APIs (DESIGN §5). */
export interface ScopeState {
  name: string;
  description: string;
  /** Claims a token for this scope must carry. */
  claims: string[];
  /** True for the OIDC scopes built into the catalog. */
  builtIn?: boolean;
}

/** Create or redefine a scope (PUT /admin/scopes/:name). */
export interface DefineScope {
  type: 'DefineScope';
  name: string;
  description: string;
  claims: string[];
}

/** DELETE /admin/scopes/:name. */
export interface DeleteScope {
  type: 'DeleteScope';
  name: string;
}

/** Every command of the scope aggregate. */
export type ScopeCommand = DefineScope | DeleteScope;

function event(type: string, data: ScopeDefinedData | ScopeDeletedData, meta: CommandMeta): NewEvent {
  return {
    type,
    data: data as unknown as Record<string, unknown>,
    metadata: { actor: meta.actor, correlationId: meta.correlationId },
  };
}

/** Pure: the events a command yields (STYLE 4: a command that changes nothing yields none). */
export function decide(state: ScopeState | null, command: ScopeCommand, meta: CommandMeta): NewEvent[] {
  switch (command.type) {
    case 'DefineScope': {
      const claims = [...command.claims].sort();
      if (state && state.description === command.description && state.claims.join(' ') === claims.join(' ')) {
        return [];
      }
      return [event(ScopeEvents.defined, { name: command.name, description: command.description, claims }, meta)];
    }
    case 'DeleteScope':
      if (state === null) throw new NotFoundError(`scope ${command.name} is not defined`);
      return [event(ScopeEvents.deleted, { name: command.name }, meta)];
    default: {
      const unknown: never = command;
      throw new IllegalStateError(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Pure fold, shared by the service and the projection; a deleted scope is null. */
export function evolve(state: ScopeState | null, e: Pick<RecordedEvent, 'type' | 'data'>): ScopeState | null {
  switch (e.type) {
    case ScopeEvents.defined: {
      const d = e.data as unknown as ScopeDefinedData;
      return { name: d.name, description: d.description, claims: [...d.claims] };
    }
    case ScopeEvents.deleted:
      return null;
    default:
      return state;
  }
}

/** Folds a whole stream. */
export function foldScope(events: readonly Pick<RecordedEvent, 'type' | 'data'>[]): ScopeState | null {
  return events.reduce<ScopeState | null>(evolve, null);
}
