import { type ClientState } from '@tessera/clients';
import {
  type ClientDeletedData,
  type ClientMetadata,
  type ClientRegisteredData,
  type ClientSecretRotatedData,
  type ClientUpdatedData,
  ClientEvents,
} from '@tessera/contracts';
import { IllegalStateError, type NewEvent, NotFoundError } from '@tessera/event-store';

/** Who asks, when and why (STYLE 4): the clock arrives here so the decider stays pure. */
export interface CommandMeta {
  now: Date;
  actor: string;
  correlationId?: string;
}

/** RFC 7591 §3.1. */
export interface RegisterClient {
  type: 'RegisterClient';
  clientId: string;
  metadata: ClientMetadata;
}

/** RFC 7592 §2.2: replaces the metadata. */
export interface UpdateClient {
  type: 'UpdateClient';
  metadata: ClientMetadata;
}

/** A new secret; the secret itself never reaches the decider (DESIGN §2). */
export interface RotateClientSecret {
  type: 'RotateClientSecret';
}

/** RFC 7592 §2.3. */
export interface DeleteClient {
  type: 'DeleteClient';
}

/** Every command of the client aggregate. */
export type ClientCommand = RegisterClient | UpdateClient | RotateClientSecret | DeleteClient;

/** Every event data of the client aggregate. */
export type ClientEventData = ClientRegisteredData | ClientUpdatedData | ClientSecretRotatedData | ClientDeletedData;

function seconds(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

function event(type: string, data: ClientEventData, meta: CommandMeta): NewEvent {
  return {
    type,
    data: data as unknown as Record<string, unknown>,
    metadata: { actor: meta.actor, correlationId: meta.correlationId },
  };
}

function live(state: ClientState | null): ClientState {
  if (state === null || state.deleted) throw new NotFoundError('client not found');
  return state;
}

function sameMetadata(a: ClientMetadata, b: ClientMetadata): boolean {
  const canonical = (m: ClientMetadata) => JSON.stringify(Object.entries(m).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}

/** Pure: the events a command yields on a client (STYLE 5). */
export function decide(state: ClientState | null, command: ClientCommand, meta: CommandMeta): NewEvent[] {
  switch (command.type) {
    case 'RegisterClient':
      if (state !== null) throw new IllegalStateError('client id already in use');
      return [
        event(
          ClientEvents.registered,
          { clientId: command.clientId, issuedAt: seconds(meta.now), metadata: command.metadata },
          meta,
        ),
      ];
    case 'UpdateClient': {
      const current = live(state);
      if (sameMetadata(current.metadata, command.metadata)) return [];
      return [event(ClientEvents.updated, { clientId: current.clientId, metadata: command.metadata }, meta)];
    }
    case 'RotateClientSecret': {
      const current = live(state);
      const method = current.metadata.token_endpoint_auth_method;
      if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
        throw new IllegalStateError('this client authenticates without a secret');
      }
      return [event(ClientEvents.secretRotated, { clientId: current.clientId, rotatedAt: seconds(meta.now) }, meta)];
    }
    case 'DeleteClient': {
      const current = live(state);
      return [event(ClientEvents.deleted, { clientId: current.clientId }, meta)];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}
