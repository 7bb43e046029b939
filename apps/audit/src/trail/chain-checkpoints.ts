import { AUDIT_CHECKPOINT_TYP, AUDIT_SOURCE, type AuditCheckpointClaims } from '@tessera/contracts';
import type { Sql } from '@tessera/event-store';
import type { ActiveKeySigner } from '@tessera/keys';
import { readChainHead } from './audit-batch';

/** A stored signed checkpoint. */
export interface StoredCheckpoint {
  seq: number;
  hash: string;
  kid: string;
  jws: string;
  signedAt: Date;
}

interface CheckpointRow {
  seq: string | number;
  hash: string;
  kid: string;
  jws: string;
  signed_at: Date | string;
}

function toCheckpoint(r: CheckpointRow): StoredCheckpoint {
  return { seq: Number(r.seq), hash: r.hash, kid: r.kid, jws: r.jws, signedAt: new Date(r.signed_at) };
}

/** The newest signed checkpoint, if any. */
export async function latestCheckpoint(sql: Sql): Promise<StoredCheckpoint | null> {
  const [row] = await sql.query<CheckpointRow>(
    'SELECT seq, hash, kid, jws, signed_at FROM audit.checkpoints ORDER BY seq DESC LIMIT 1',
  );
  return row ? toCheckpoint(row) : null;
}

/** Checkpoints with `from <= seq`, in seq order. */
export async function checkpointsFrom(sql: Sql, from: number): Promise<StoredCheckpoint[]> {
  const rows = await sql.query<CheckpointRow>(
    'SELECT seq, hash, kid, jws, signed_at FROM audit.checkpoints WHERE seq >= $1 ORDER BY seq',
    [from],
  );
  return rows.map(toCheckpoint);
}

/** When to sign. */
export interface CheckpointPolicy {
  everyRecords: number;
  everyMs: number;
}

/**
 * Signs the chain head (issue 7 §1) when `everyRecords` records were added
 * since the last checkpoint, or `everyMs` passed and any was: a JWS
 * (`typ: audit-checkpoint+jwt`) with the audit service's active key over
 * `{iss, seq, hash, iat}`. Returns the new checkpoint, or null when none was due.
 */
export async function signCheckpointIfDue(
  sql: Sql,
  signer: ActiveKeySigner,
  policy: CheckpointPolicy,
  now: Date,
  force = false,
): Promise<StoredCheckpoint | null> {
  const head = await readChainHead(sql);
  const last = await latestCheckpoint(sql);
  const since = head.seq - (last?.seq ?? 0);
  if (since <= 0) return null;
  const due =
    force || since >= policy.everyRecords || now.getTime() - (last?.signedAt.getTime() ?? 0) >= policy.everyMs;
  if (!due) return null;
  const claims: AuditCheckpointClaims = {
    iss: AUDIT_SOURCE,
    seq: head.seq,
    hash: head.hash,
    iat: Math.floor(now.getTime() / 1000),
  };
  const jws = await signer.sign({ ...claims }, { typ: AUDIT_CHECKPOINT_TYP });
  const kid = String(JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')).kid);
  // Two instances may sign the same head: the first row stays.
  await sql.query(
    'INSERT INTO audit.checkpoints (seq, hash, kid, jws, signed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING',
    [head.seq, head.hash, kid, jws, now.toISOString()],
  );
  return { seq: head.seq, hash: head.hash, kid, jws, signedAt: now };
}
