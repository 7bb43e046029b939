import type { AuditRecord } from '@tessera/contracts';
import type { Sql } from '@tessera/event-store';
import type { ChainLink } from './audit-chain';

interface LinkRow {
  seq: string | number;
  record: AuditRecord | string;
  prev_hash: string;
  hash: string;
}

/** A stored row as a link (jsonb comes back parsed from pg and PGlite; a string is parsed). */
export function toLink(row: LinkRow): ChainLink {
  const record = typeof row.record === 'string' ? (JSON.parse(row.record) as AuditRecord) : row.record;
  return { seq: Number(row.seq), record, prevHash: row.prev_hash, hash: row.hash };
}

/** Up to `limit` links with seq > `after`, in seq order. */
export async function linksAfter(sql: Sql, after: number, limit: number): Promise<ChainLink[]> {
  const rows = await sql.query<LinkRow>(
    'SELECT seq, record, prev_hash, hash FROM audit.records WHERE seq > $1 ORDER BY seq LIMIT $2',
    [after, limit],
  );
  return rows.map(toLink);
}
