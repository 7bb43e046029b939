import type { Database, EventStore } from '@tessera/event-store';
import { type AuditSettings, DEFAULT_AUDIT_SETTINGS } from '../audit.settings';
import { type BrokenLink, ChainWalk, GENESIS_HASH } from '../trail/audit-chain';
import { linksAfter } from '../trail/audit-links';
import { checkpointsFrom, type StoredCheckpoint } from '../trail/chain-checkpoints';
import { CheckpointSignatures } from './checkpoint-signature';

/** What `/audit/integrity` and `tessera audit verify` answer. */
export interface IntegrityReport {
  ok: boolean;
  /** Records verified. */
  verified: number;
  /** The first stored record, the chain is verified from (above 1 after pruning: a signed checkpoint). */
  from: number;
  /** The chain head as stored. */
  head: { seq: number; hash: string };
  checkpoints: { verified: number; latest: number | null };
  /** The first broken link (sequence and reason), when not ok. */
  broken?: BrokenLink;
}

const PAGE = 1000;

/** What the integrity check needs of the settings (the CLI, which has none, uses the defaults). */
export type IntegritySettings = Pick<AuditSettings, 'checkpointEveryRecords' | 'batchSize'>;

/**
 * How far the head may run past the newest signed checkpoint before the
 * checkpoint set counts as stale or deleted. The consumer signs after every
 * batch once `checkpointEveryRecords` are due, so the gap normally stays below
 * `checkpointEveryRecords + batchSize`; the bound doubles that because a batch
 * may commit between reading the checkpoints and the head, and signing waits
 * for the audit key at a first start (a catch-up over an existing log).
 */
export function maxRecordsPastCheckpoint(settings: IntegritySettings): number {
  return 2 * (settings.checkpointEveryRecords + settings.batchSize);
}

interface ChainStateRow {
  seq: string | number;
  hash: string;
  pruned_before: string | number;
  first: string | number | null;
}

/** The head and the first stored record, in ONE statement (one snapshot: pruning moves both together). */
async function readChainState(
  db: Database,
): Promise<{ seq: number; hash: string; prunedBefore: number; first: number | null }> {
  const [row] = await db.query<ChainStateRow>(
    'SELECT seq, hash, pruned_before, (SELECT min(seq) FROM audit.records) AS first FROM audit.chain WHERE id = 1',
  );
  if (!row) throw new Error('audit.chain has no head row: run the audit migrations');
  return {
    seq: Number(row.seq),
    hash: row.hash,
    prunedBefore: Number(row.pruned_before),
    first: row.first === null ? null : Number(row.first),
  };
}

/**
 * Verifies the audit chain (issue 7 §1) from its first STORED record (1, or
 * the signed checkpoint it was pruned to; `audit.chain.pruned_before` is not
 * trusted, a record below it still verifies) up to the head: every link's seq,
 * previous hash and hash, every checkpoint's signature and its agreement with
 * the link at its seq, and the head itself. A signed checkpoint beyond the head
 * proves records were deleted from the end; a head far past the newest
 * checkpoint means checkpoints were deleted. Names the first broken link.
 */
export async function verifyAuditChain(
  db: Database,
  store: EventStore,
  onProgress?: (done: number, total: number) => void,
  settings: IntegritySettings = DEFAULT_AUDIT_SETTINGS,
): Promise<IntegrityReport> {
  // Checkpoints first, then the head: the head only grows, and a checkpoint is never above the head it signed.
  const stored = await checkpointsFrom(db, 0);
  const head = await readChainState(db);
  const from = head.first ?? 1;
  // Below `from`: pruned since the checkpoints were read.
  const checkpoints = stored.filter((c) => c.seq >= from);
  const signatures = new CheckpointSignatures(store);
  const walk = new ChainWalk({ seq: from, prevHash: from === 1 ? GENESIS_HASH : undefined });
  const bySeq = new Map<number, StoredCheckpoint>();
  let checkpointsVerified = 0;
  for (const c of checkpoints) {
    const problem = await signatures.problem(c);
    if (problem) {
      walk.fail(c.seq, problem);
      break;
    }
    if (c.seq > head.seq) {
      walk.fail(c.seq, `signed checkpoint ${c.seq} beyond head ${head.seq}: records were deleted from the end`);
      break;
    }
    bySeq.set(c.seq, c);
    checkpointsVerified++;
  }
  if (head.first !== null && head.first > head.prunedBefore) {
    // Pruning moves pruned_before with the records it deletes: these went another way.
    walk.fail(head.prunedBefore, `record ${head.prunedBefore} missing: the next stored record is ${head.first}`);
  }
  if (from > 1 && !bySeq.has(from) && !walk.firstBroken) {
    walk.fail(from, `the chain starts at ${from} but no valid signed checkpoint vouches for it`);
  }
  const total = Math.max(0, head.seq - from + 1);
  let after = from - 1;
  while (!walk.firstBroken && after < head.seq) {
    const links = (await linksAfter(db, after, PAGE)).filter((l) => l.seq <= head.seq);
    if (links.length === 0) break;
    for (const link of links) {
      if (walk.push(link)) break;
      const checkpoint = bySeq.get(link.seq);
      if (checkpoint && checkpoint.hash !== link.hash) {
        walk.fail(link.seq, `record ${link.seq} differs from signed checkpoint ${checkpoint.seq}`);
        break;
      }
    }
    after = links[links.length - 1].seq;
    onProgress?.(walk.verified, total);
  }
  if (!walk.firstBroken) {
    const reached = walk.head;
    if (reached.seq < head.seq) walk.fail(reached.seq + 1, `record ${reached.seq + 1} missing (head is ${head.seq})`);
    else if (head.seq > 0 && reached.hash !== head.hash)
      walk.fail(head.seq, 'the chain head differs from the last record');
  }
  const latest = checkpoints.filter((c) => c.seq <= head.seq).at(-1)?.seq ?? null;
  const gap = head.seq - (latest ?? 0);
  if (!walk.firstBroken && gap > maxRecordsPastCheckpoint(settings)) {
    walk.fail(
      (latest ?? 0) + 1,
      `no signed checkpoint for the last ${gap} records: checkpoints were deleted or are not being signed`,
    );
  }
  const broken = walk.firstBroken;
  return {
    ok: broken === null,
    verified: walk.verified,
    from,
    head: { seq: head.seq, hash: head.hash },
    checkpoints: { verified: checkpointsVerified, latest },
    ...(broken ? { broken } : {}),
  };
}
