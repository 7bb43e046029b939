import { Inject, Injectable } from '@nestjs/common';
import type { AuditMessageData } from '@tessera/contracts';
import type { Database } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';
import type { ChainLink } from '../trail/audit-chain';
import { toLink } from '../trail/audit-links';
import { type AuditQuery, auditQuerySql, encodeCursor } from './audit-query';

/** One page of `/audit/events`. */
export interface AuditEventsPage {
  records: AuditMessageData[];
  /** Present when more records match: pass it as `cursor`. */
  next_cursor?: string;
}

const EXPORT_PAGE = 1000;

function entry(link: ChainLink): AuditMessageData {
  return { record: link.record, prevHash: link.prevHash, hash: link.hash };
}

/** Reads the audit trail by subject, client, action and time, in chain order (issue 7 §1). */
@Injectable()
export class AuditEventsService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** One page and the cursor of the next. */
  async page(q: AuditQuery): Promise<AuditEventsPage> {
    const links = await this.links(q, q.afterSeq, q.limit + 1);
    const more = links.length > q.limit;
    const page = links.slice(0, q.limit);
    return {
      records: page.map(entry),
      ...(more ? { next_cursor: encodeCursor(page[page.length - 1].seq) } : {}),
    };
  }

  /** Every matching record from the cursor on (NDJSON export), `limit` at most when given, page by page. */
  async *export(q: AuditQuery, limit?: number): AsyncGenerator<AuditMessageData> {
    let after = q.afterSeq;
    let left = limit ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const links = await this.links(q, after, Math.min(EXPORT_PAGE, left));
      for (const link of links) yield entry(link);
      if (links.length < Math.min(EXPORT_PAGE, left)) return;
      left -= links.length;
      after = links[links.length - 1].seq;
    }
  }

  private async links(q: AuditQuery, afterSeq: number, limit: number): Promise<ChainLink[]> {
    const { text, params } = auditQuerySql(q, afterSeq, limit);
    const rows = await this.db.query<Parameters<typeof toLink>[0]>(text, params);
    return rows.map(toLink);
  }
}
