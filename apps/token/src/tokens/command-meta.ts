import type { EventMetadata } from '@tessera/event-store';

/** Metadata every command carries (STYLE 4): the clock arrives here, so deciders stay pure. */
export interface CommandMeta {
  now: Date;
  /** `client:<id>`, `user:<id>`, `system`. */
  actor: string;
  correlationId?: string;
}

/** The event metadata a command's events carry. */
export function eventMetadata(meta: CommandMeta): EventMetadata {
  return meta.correlationId ? { actor: meta.actor, correlationId: meta.correlationId } : { actor: meta.actor };
}
