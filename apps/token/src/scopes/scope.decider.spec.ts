import { NotFoundError } from '@tessera/event-store';
import { ScopeEvents } from '@tessera/contracts';
import { decide, foldScope, type ScopeCommand } from './scope.decider';

const meta = { now: new Date(0), actor: 'service:admin' };
const defined = {
  type: ScopeEvents.defined,
  data: { name: 'orders_read', description: 'Read orders', claims: ['account_nr'] },
};

function given(...history: { type: string; data: unknown }[]) {
  const state = foldScope(history as never);
  return {
    when: (command: ScopeCommand) => ({
      then: (expected: unknown[]) =>
        expect(decide(state, command, meta).map((e) => ({ type: e.type, data: e.data }))).toEqual(expected),
      thenThrows: (error: new (...a: never[]) => Error) => expect(() => decide(state, command, meta)).toThrow(error),
    }),
  };
}

describe('scope decider', () => {
  it('defines a scope with sorted claims', () => {
    given()
      .when({ type: 'DefineScope', name: 'orders_read', description: 'Read orders', claims: ['account_nr'] })
      .then([defined]);
    given()
      .when({ type: 'DefineScope', name: 's', description: 'd', claims: ['b', 'a'] })
      .then([{ type: ScopeEvents.defined, data: { name: 's', description: 'd', claims: ['a', 'b'] } }]);
  });

  it('yields nothing when the definition is unchanged, an event when it changes', () => {
    given(defined)
      .when({ type: 'DefineScope', name: 'orders_read', description: 'Read orders', claims: ['account_nr'] })
      .then([]);
    given(defined)
      .when({ type: 'DefineScope', name: 'orders_read', description: 'Read orders', claims: [] })
      .then([{ type: ScopeEvents.defined, data: { name: 'orders_read', description: 'Read orders', claims: [] } }]);
  });

  it('deletes a defined scope; deleting an unknown or deleted one is NotFound', () => {
    const deleted = { type: ScopeEvents.deleted, data: { name: 'orders_read' } };
    given(defined).when({ type: 'DeleteScope', name: 'orders_read' }).then([deleted]);
    given(defined, deleted).when({ type: 'DeleteScope', name: 'orders_read' }).thenThrows(NotFoundError);
    given().when({ type: 'DeleteScope', name: 'x' }).thenThrows(NotFoundError);
  });
});
