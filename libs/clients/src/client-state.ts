import {
  type ClientMetadata,
  type ClientRegisteredData,
  type ClientSecretRotatedData,
  type ClientUpdatedData,
  ClientEvents,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';

/** A client as folded from its stream. */
export interface ClientState {
  clientId: string;
  issuedAt: number;
  metadata: ClientMetadata;
  /** Seconds since the epoch of the last secret rotation, if any. */
  secretRotatedAt?: number;
  deleted: boolean;
}

/** Pure: folds one client event into the state; shared by the decider, the directory and the projections. */
export function evolveClient(state: ClientState | null, e: Pick<RecordedEvent, 'type' | 'data'>): ClientState | null {
  switch (e.type) {
    case ClientEvents.registered: {
      const d = e.data as unknown as ClientRegisteredData;
      return { clientId: d.clientId, issuedAt: d.issuedAt, metadata: d.metadata, deleted: false };
    }
    case ClientEvents.updated: {
      const d = e.data as unknown as ClientUpdatedData;
      return state && { ...state, metadata: d.metadata };
    }
    case ClientEvents.secretRotated: {
      const d = e.data as unknown as ClientSecretRotatedData;
      return state && { ...state, secretRotatedAt: d.rotatedAt };
    }
    case ClientEvents.deleted:
      return state && { ...state, deleted: true };
    default:
      return state;
  }
}

/** Folds a whole client stream. */
export function foldClient(events: readonly Pick<RecordedEvent, 'type' | 'data'>[]): ClientState | null {
  return events.reduce<ClientState | null>(evolveClient, null);
}
