import type { AuditRecord } from '@tessera/contracts';
import type { Database, EventStore, LogCursor, RecordedEvent, Sql } from '@tessera/event-store';
import { chainHash, type ChainLink } from './audit-chain';
import { toAuditRecord } from './audit-record.mapper';
import { applyScopeEvent, type ScopeClaims } from './scope-claims';

/** The chain head row: last seq and hash, and the consumer's log cursor. */
export interface ChainHead {
  seq: number;
  hash: string;
  cursor: LogCursor;
  prunedBefore: number;
}

interface ChainRow {
  seq: string | number;
  hash: string;
  transaction_id: string;
  position: string | number;
  pruned_before: string | number;
}

/** Reads `audit.chain`; with `forUpdate`, row-locks it so that consumers of several instances serialise. */
export async function readChainHead(sql: Sql, forUpdate = false): Promise<ChainHead> {
  const [row] = await sql.query<ChainRow>(
    'SELECT seq, hash, transaction_id::text AS transaction_id, position, pruned_before FROM audit.chain WHERE id = 1' +
      (forUpdate ? ' FOR UPDATE' : ''),
  );
  if (!row) throw new Error('audit.chain has no head row: run the audit migrations');
  // pg returns bigint as a string, PGlite as a number: normalise here.
  return {
    seq: Number(row.seq),
    hash: row.hash,
    cursor: { transactionId: String(row.transaction_id), position: Number(row.position) },
    prunedBefore: Number(row.pruned_before),
  };
}

async function loadScopes(tx: Sql): Promise<ScopeClaims> {
  const rows = await tx.query<{ name: string; claims: string[] }>('SELECT name, claims FROM audit.scope_claims');
  return new Map(rows.map((r) => [r.name, r.claims]));
}

async function saveScopes(tx: Sql, scopes: ScopeClaims, touched: Set<string>): Promise<void> {
  for (const name of touched) {
    const claims = scopes.get(name);
    if (claims) {
      await tx.query(
        'INSERT INTO audit.scope_claims (name, claims) VALUES ($1, $2::jsonb) ON CONFLICT (name) DO UPDATE SET claims = $2::jsonb',
        [name, JSON.stringify(claims)],
      );
    } else {
      await tx.query('DELETE FROM audit.scope_claims WHERE name = $1', [name]);
    }
  }
}

async function insertLinks(tx: Sql, links: ChainLink[]): Promise<void> {
  const params: unknown[] = [];
  const values = links.map((l) => {
    params.push(l.seq, JSON.stringify(l.record), l.prevHash, l.hash);
    const n = params.length;
    return `($${n - 3}, $${n - 2}::jsonb, $${n - 1}, $${n})`;
  });
  await tx.query(`INSERT INTO audit.records (seq, record, prev_hash, hash) VALUES ${values.join(', ')}`, params);
}

/**
 * One batch in ONE transaction (DESIGN §3: a consumer applies events and
 * records its checkpoint together): lock the chain head, read the events after
 * its cursor, chain one record per event, insert them, move head and cursor.
 * Returns how many events it read (0: caught up); `onChained` sees them after the commit.
 */
export async function runAuditBatch(
  db: Database,
  store: EventStore,
  batchSize: number,
  onChained?: (events: readonly RecordedEvent[]) => void,
): Promise<number> {
  let chained: readonly RecordedEvent[] = [];
  const read = await db.transaction(async (tx) => {
    const head = await readChainHead(tx, true);
    const events = await store.readAll(head.cursor, batchSize, tx);
    if (events.length === 0) return 0;
    const scopes = await loadScopes(tx);
    const touched = new Set<string>();
    const links: ChainLink[] = [];
    let { seq, hash } = head;
    for (const event of events) {
      // The record shows the scope catalogue as of its event: a scope's claims are those defined before it.
      if (applyScopeEvent(scopes, event)) touched.add(String(event.data.name));
      const record: AuditRecord = { seq: seq + 1, ...toAuditRecord(event, scopes) };
      const link: ChainLink = { seq: record.seq, record, prevHash: hash, hash: chainHash(hash, record) };
      links.push(link);
      seq = link.seq;
      hash = link.hash;
    }
    for (let i = 0; i < links.length; i += 500) await insertLinks(tx, links.slice(i, i + 500));
    await saveScopes(tx, scopes, touched);
    const last = events[events.length - 1];
    await tx.query(
      'UPDATE audit.chain SET seq = $1, hash = $2, transaction_id = $3::text::xid8, position = $4, updated_at = now() WHERE id = 1',
      [seq, hash, last.transactionId, last.position],
    );
    chained = events;
    return events.length;
  });
  if (chained.length > 0) onChained?.(chained);
  return read;
}
