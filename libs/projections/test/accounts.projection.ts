import type { RecordedEvent } from '@tessera/event-store';
import type { Projection } from '../src/projection';

/** Demo event types of the test projection (accounts with a balance). */
export const AccountEvents = {
  opened: 'account.opened',
  deposited: 'account.deposited',
  closed: 'account.closed',
} as const;

/** One account row: a sum and a count make any double application visible. */
export interface AccountState {
  owner: string;
  balance: number;
  /** Events folded into this row. */
  count: number;
  /** The projection version that built the row. */
  builtBy: number;
}

/** Options of the demo projection. */
export interface AccountsProjectionOptions {
  schema: string;
  name?: string;
  version?: number;
  /** Throws inside evolve for these events (poison). */
  poison?: (e: RecordedEvent) => boolean;
  /** Called before each evolve (tests slow it down or observe it). */
  onEvolve?: (e: RecordedEvent) => void;
}

/** The stream id of account `id`. */
export function accountStream(id: string): string {
  return `account-${id}`;
}

/** A read model of accounts with balance, for the projection tests and the replay benchmark. */
export function accountsProjection(opts: AccountsProjectionOptions): Projection<AccountState> {
  const version = opts.version ?? 1;
  return {
    name: opts.name ?? 'accounts',
    schema: opts.schema,
    version,
    eventTypes: [AccountEvents.opened, AccountEvents.deposited, AccountEvents.closed],
    indexes: { owner: 'owner' },
    keyOf: (e) => (e.streamId.startsWith('account-') ? e.streamId.slice('account-'.length) : null),
    streamsOf: (key) => [accountStream(key)],
    evolve(state, e) {
      opts.onEvolve?.(e);
      if (opts.poison?.(e)) throw new Error(`cannot fold ${e.type} #${e.streamVersion}`);
      const data = e.data as { owner?: string; amount?: number };
      switch (e.type) {
        case AccountEvents.opened:
          return { owner: String(data.owner), balance: 0, count: 1, builtBy: version };
        case AccountEvents.deposited:
          if (!state) throw new Error(`deposit to unknown account ${e.streamId}`);
          return { ...state, balance: state.balance + Number(data.amount), count: state.count + 1 };
        case AccountEvents.closed:
          return null;
        default:
          return state;
      }
    },
  };
}
