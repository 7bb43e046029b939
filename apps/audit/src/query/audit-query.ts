import { InvalidRequestError } from '@tessera/oauth';

/** A parsed `/audit/events` query. */
export interface AuditQuery {
  subject?: string;
  client?: string;
  action?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  /** Records with seq above this. */
  afterSeq: number;
  limit: number;
}

/** Default and largest page of `/audit/events`. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const PARAMS = ['subject', 'client', 'action', 'from', 'to', 'cursor', 'limit'] as const;

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`${name} must appear once`);
  if (value.length === 0 || value.length > 512) throw new InvalidRequestError(`${name} is empty or too long`);
  return value;
}

function instant(query: Record<string, unknown>, name: string): string | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  // RFC 3339 date-time or date; normalised to the form records store (UTC, milliseconds).
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidRequestError(`${name} must be an RFC 3339 date-time`);
  }
  return new Date(value).toISOString();
}

/** The opaque cursor of the page after `seq`. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidRequestError('cursor is not one this server issued');
  return Number(match[1]);
}

/** Parses and validates `/audit/events` parameters (unknown ones are refused, so a typo is not an unfiltered export). */
export function parseAuditQuery(query: Record<string, unknown>, maxLimit = MAX_LIMIT): AuditQuery {
  const unknown = Object.keys(query).filter((k) => !(PARAMS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new InvalidRequestError(`unknown parameter: ${unknown.join(', ')}`);
  const limitText = single(query, 'limit');
  let limit = DEFAULT_LIMIT;
  if (limitText !== undefined) {
    if (!/^\d{1,7}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > maxLimit) {
      throw new InvalidRequestError(`limit must be an integer from 1 to ${maxLimit}`);
    }
    limit = Number(limitText);
  }
  const parsed: AuditQuery = {
    subject: single(query, 'subject'),
    client: single(query, 'client'),
    action: single(query, 'action'),
    from: instant(query, 'from'),
    to: instant(query, 'to'),
    afterSeq: decodeCursor(single(query, 'cursor')),
    limit,
  };
  if (parsed.from && parsed.to && parsed.from >= parsed.to) throw new InvalidRequestError('from must be before to');
  return parsed;
}

/** The WHERE clause and parameters of a query, records after `afterSeq` in seq order. */
export function auditQuerySql(q: AuditQuery, afterSeq: number, limit: number): { text: string; params: unknown[] } {
  const params: unknown[] = [afterSeq];
  const where = ['seq > $1'];
  const add = (expr: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${expr} $${params.length}`);
  };
  add("record->>'subject' =", q.subject);
  add("record->>'clientId' =", q.client);
  add("record->>'action' =", q.action);
  add("record->>'time' >=", q.from);
  add("record->>'time' <", q.to);
  params.push(limit);
  return {
    text: `SELECT seq, record, prev_hash, hash FROM audit.records WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
    params,
  };
}
