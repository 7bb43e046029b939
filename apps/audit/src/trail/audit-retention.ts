import type { Database } from '@tessera/event-store';
import { readChainHead } from './audit-batch';

/** What a pruning run did. */
export interface PruneResult {
  /** The first seq kept (a signed checkpoint's), or null when nothing could be pruned. */
  anchor: number | null;
  deleted: number;
}

/**
 * Retention (issue 7 §1): deletes the records older than `cutoff` and already
 * published on `iam.audit` (`audit.publisher`: a Kafka outage longer than the
 * retention must not lose records for SIEMs), but only
 * up to the newest signed checkpoint at or before the first record kept, so
 * that the chain stays verifiable from that checkpoint (its signature vouches
 * for the anchor record's hash, which covers everything before it). Checkpoints
 * below the anchor go too. One transaction, serialised with the consumer on
 * the chain head; the records' and checkpoints' triggers allow DELETE only with `audit.pruning` set.
 */
export async function pruneAuditTrail(db: Database, cutoff: Date): Promise<PruneResult> {
  return db.transaction(async (tx) => {
    const head = await readChainHead(tx, true);
    const [expired] = await tx.query<{ seq: string | number | null }>(
      "SELECT max(seq) AS seq FROM audit.records WHERE record->>'time' < $1",
      [cutoff.toISOString()],
    );
    if (expired?.seq === null || expired?.seq === undefined) return { anchor: null, deleted: 0 };
    // Never past what the publisher has handed to the bus (iam.audit): SIEMs must get every record first.
    const [published] = await tx.query<{ seq: string | number }>('SELECT seq FROM audit.publisher WHERE id = 1');
    const limit = Math.min(Number(expired.seq), Number(published?.seq ?? 0)) + 1;
    const [anchorRow] = await tx.query<{ seq: string | number | null }>(
      'SELECT max(c.seq) AS seq FROM audit.checkpoints c JOIN audit.records r ON r.seq = c.seq ' +
        'WHERE c.seq <= $1 AND c.seq > $2',
      [limit, head.prunedBefore],
    );
    if (anchorRow?.seq === null || anchorRow?.seq === undefined) return { anchor: null, deleted: 0 };
    const anchor = Number(anchorRow.seq);
    await tx.query("SELECT set_config('audit.pruning', 'on', true)");
    const deleted = await tx.query<{ seq: number }>('DELETE FROM audit.records WHERE seq < $1 RETURNING seq', [anchor]);
    await tx.query('DELETE FROM audit.checkpoints WHERE seq < $1', [anchor]);
    await tx.query("SELECT set_config('audit.pruning', 'off', true)");
    await tx.query('UPDATE audit.chain SET pruned_before = $1, updated_at = now() WHERE id = 1', [anchor]);
    return { anchor, deleted: deleted.length };
  });
}
