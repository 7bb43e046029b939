import { IllegalStateError, NotFoundError } from '@tessera/event-store';
import { ClientEvents, type ClientMetadata } from '@tessera/contracts';
import type { NewEvent } from '@tessera/event-store';
import { foldClient } from '@tessera/clients';
import { type ClientCommand, type CommandMeta, decide } from './client.decider';

const meta: CommandMeta = { now: new Date('2030-01-02T03:04:05Z'), actor: 'service:admin', correlationId: 'c-1' };
const machine: ClientMetadata = {
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  scope: 'orders_read',
  token_endpoint_auth_method: 'client_secret_basic',
  access_token_format: 'reference',
};
const registered = { type: ClientEvents.registered, data: { clientId: 'c1', issuedAt: 1893553445, metadata: machine } };

// given(events).when(command).then(events) — STYLE: Emmett
function given(...history: { type: string; data: unknown }[]) {
  const state = foldClient(history as never);
  return {
    when: (command: ClientCommand) => ({
      then: (expected: { type: string; data: unknown }[]) =>
        expect(decide(state, command, meta).map((e: NewEvent) => ({ type: e.type, data: e.data }))).toEqual(expected),
      thenThrows: (error: new (...a: never[]) => Error) => expect(() => decide(state, command, meta)).toThrow(error),
    }),
  };
}

describe('client decider', () => {
  it('registers a new client with the issue time from the command metadata', () => {
    given().when({ type: 'RegisterClient', clientId: 'c1', metadata: machine }).then([registered]);
  });

  it('refuses to register an id twice', () => {
    given(registered).when({ type: 'RegisterClient', clientId: 'c1', metadata: machine }).thenThrows(IllegalStateError);
  });

  it('updates changed metadata and yields nothing for identical metadata', () => {
    const changed = { ...machine, access_token_format: 'jwt' as const };
    given(registered)
      .when({ type: 'UpdateClient', metadata: changed })
      .then([{ type: ClientEvents.updated, data: { clientId: 'c1', metadata: changed } }]);
    given(registered)
      .when({ type: 'UpdateClient', metadata: { ...machine } })
      .then([]);
  });

  it('rotates a confidential secret without carrying it, and refuses for a public client', () => {
    given(registered)
      .when({ type: 'RotateClientSecret' })
      .then([{ type: ClientEvents.secretRotated, data: { clientId: 'c1', rotatedAt: 1893553445 } }]);
    const publicClient = {
      ...registered,
      data: { ...registered.data, metadata: { ...machine, token_endpoint_auth_method: 'none' } },
    };
    given(publicClient).when({ type: 'RotateClientSecret' }).thenThrows(IllegalStateError);
  });

  it('deletes a client once; afterwards it is not found', () => {
    const deleted = { type: ClientEvents.deleted, data: { clientId: 'c1' } };
    given(registered).when({ type: 'DeleteClient' }).then([deleted]);
    given(registered, deleted).when({ type: 'DeleteClient' }).thenThrows(NotFoundError);
    given(registered, deleted).when({ type: 'UpdateClient', metadata: machine }).thenThrows(NotFoundError);
    given().when({ type: 'DeleteClient' }).thenThrows(NotFoundError);
  });

  it('puts no secret-like field in any event', () => {
    const events = [
      ...decide(null, { type: 'RegisterClient', clientId: 'c1', metadata: machine }, meta),
      ...decide(foldClient([registered] as never), { type: 'RotateClientSecret' }, meta),
    ];
    expect(JSON.stringify(events)).not.toMatch(/secret_hash|client_secret"|registration_access_token/);
  });
});
