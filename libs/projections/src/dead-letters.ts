import type { Sql } from '@tessera/event-store';
import type { CloudEvent, MessageBus } from '@tessera/messaging';
import type { PoisonEvent } from './batch-fold';
import type { Projection } from './projection';
import { tablesOf } from './projection-sql';

/** CloudEvents extensions carried by a dead letter (lower-case alphanumerics, CloudEvents 1.0 §3.1.1). */
export interface DeadLetterExtensions {
  /** `<schema>.<name>` of the projection that failed. */
  projection: string;
  /** The error the projection's code threw. */
  deadlettererror: string;
}

/** A dead-lettered event as published: the log event as a CloudEvent plus the failure. */
export type DeadLetterMessage = CloudEvent & DeadLetterExtensions;

/**
 * The dead letter for a poison event. The event's data is copied as the log
 * holds it, which never contains a secret (DESIGN §2).
 */
export function deadLetterMessage(p: Projection<unknown>, poison: PoisonEvent): DeadLetterMessage {
  const e = poison.event;
  return {
    specversion: '1.0',
    id: e.id,
    source: `urn:tessera:projection:${p.schema}.${p.name}`,
    type: e.type,
    subject: e.streamId,
    time: new Date(e.recordedAt).toISOString(),
    datacontenttype: 'application/json',
    dataschema: `urn:tessera:schema:${e.type}:${e.schemaVersion}`,
    data: e.data,
    ...(typeof e.metadata?.traceparent === 'string' ? { traceparent: e.metadata.traceparent } : {}),
    logposition: String(e.position),
    logtxid: e.transactionId,
    projection: `${p.schema}.${p.name}`,
    deadlettererror: poison.error,
  };
}

/** Records poison events in `<schema>.projection_dead_letters`, in the batch's transaction. */
export async function recordDeadLetters(
  tx: Sql,
  p: Projection<unknown>,
  poisons: readonly PoisonEvent[],
): Promise<void> {
  if (poisons.length === 0) return;
  const rows = poisons.map((poison) => ({
    event_id: poison.event.id,
    position: poison.event.position,
    error: poison.error,
    message: deadLetterMessage(p, poison),
  }));
  await tx.query(
    `INSERT INTO ${tablesOf(p).deadLetters} (projection, event_id, position, error, message) ` +
      `SELECT $1, r.event_id, r.position, r.error, r.message ` +
      `FROM jsonb_to_recordset($2::jsonb) AS r(event_id uuid, position bigint, error text, message jsonb) ` +
      `ON CONFLICT (projection, event_id) DO NOTHING`,
    [p.name, JSON.stringify(rows)],
  );
}

/**
 * Publishes the recorded dead letters not yet published, then marks them.
 * The table is the outbox: a bus that is down delays the dead letters, it
 * never stalls the projection. Returns how many were published.
 */
export async function publishDeadLetters(
  sql: Sql,
  p: Projection<unknown>,
  bus: MessageBus,
  topic: string,
): Promise<number> {
  const t = tablesOf(p);
  const rows = await sql.query<{ event_id: string; message: DeadLetterMessage }>(
    `SELECT event_id::text AS event_id, message FROM ${t.deadLetters} ` +
      `WHERE projection = $1 AND published_at IS NULL ORDER BY position LIMIT 500`,
    [p.name],
  );
  if (rows.length === 0) return 0;
  await bus.publish(
    topic,
    rows.map((r) => ({ key: r.message.subject ?? r.event_id, value: r.message })),
  );
  await sql.query(
    `UPDATE ${t.deadLetters} SET published_at = now() WHERE projection = $1 AND event_id = ANY($2::uuid[])`,
    [p.name, rows.map((r) => r.event_id)],
  );
  return rows.length;
}
