import type { Migration } from './migration';

/** The relay's checkpoint (DESIGN §3), the same DDL as libs/messaging's RELAY_CHECKPOINTS_DDL, so both may run. */
export const relayCheckpoints0100: Migration = {
  id: '0100_relay_checkpoints',
  up: `
CREATE TABLE IF NOT EXISTS eventlog.relay_checkpoints (
  name           text PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  position       bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
`,
};
