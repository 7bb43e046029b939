import { eventLog0001 } from './0001_event_log';
import { appendEvents0002 } from './0002_append_events';
import { readHorizon0003 } from './0003_read_horizon';
import { relayCheckpoints0100 } from './0100_relay_checkpoints';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** The event store's migrations, in order. */
export const eventLogMigrations: readonly Migration[] = Object.freeze([
  eventLog0001,
  appendEvents0002,
  readHorizon0003,
  relayCheckpoints0100,
]);
