/**
 * The relay's checkpoint table (DESIGN §3): where the relay named `name` has
 * published up to, as a log cursor. Additive and idempotent; the relay runs it
 * when it becomes active.
 * TODO(issue 2): move into the event-store migrations as `0100_relay_checkpoints`.
 */
export const RELAY_CHECKPOINTS_DDL = `
CREATE TABLE IF NOT EXISTS eventlog.relay_checkpoints (
  name           text PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  position       bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
)`;
