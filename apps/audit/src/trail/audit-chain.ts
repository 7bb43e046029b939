import { createHash } from 'node:crypto';
import type { AuditRecord } from '@tessera/contracts';
import { canonicalJson } from './canonical-json';

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** One stored link: the record, the hash it was chained to, and its own hash. */
export interface ChainLink {
  seq: number;
  record: AuditRecord;
  prevHash: string;
  hash: string;
}

/** The first link that does not verify, and why. */
export interface BrokenLink {
  seq: number;
  reason: string;
}

/** hex SHA-256 over (previous hash, canonical JSON of the record) (issue 7 §1). */
export function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash, 'utf8').update('\n').update(canonicalJson(record), 'utf8').digest('hex');
}

/**
 * chainHash, or null when the record has no canonical form (a value edited
 * into a non-integer or unsafe number, which the chain never wrote): such a
 * record was modified, and the walk must say so rather than throw.
 */
function safeChainHash(prevHash: string, record: AuditRecord): string | null {
  try {
    return chainHash(prevHash, record);
  } catch {
    return null;
  }
}

/** A verified anchor: a signed checkpoint's hash at `seq`, or the genesis. */
export interface ChainAnchor {
  /** The first seq the walk expects. */
  seq: number;
  /**
   * The hash the first link must chain to; undefined when the walk starts at a
   * pruned anchor, where the first link's own hash is vouched for by a signed checkpoint.
   */
  prevHash?: string;
}

/**
 * Walks links in seq order and names the first broken one (issue 7 §1):
 * a missing seq (a deleted record), a record whose seq is not its place (a
 * reordered pair), a previous hash that is not the previous link's hash
 * (inserted, deleted or reordered), a hash that its content does not produce
 * (a modified record). Pure and incremental, so big chains verify page by page.
 */
export class ChainWalk {
  private expectedSeq: number;
  private prevHash: string | undefined;
  private broken: BrokenLink | null = null;
  /** Links verified so far. */
  verified = 0;

  constructor(anchor: ChainAnchor = { seq: 1, prevHash: GENESIS_HASH }) {
    this.expectedSeq = anchor.seq;
    this.prevHash = anchor.prevHash;
  }

  /** The first broken link so far. */
  get firstBroken(): BrokenLink | null {
    return this.broken;
  }

  /** The seq of the last verified link and its hash. */
  get head(): { seq: number; hash: string | undefined } {
    return { seq: this.expectedSeq - 1, hash: this.prevHash };
  }

  /** Checks the next link; returns the first broken link (once broken, the walk stays broken). */
  push(link: ChainLink): BrokenLink | null {
    if (this.broken) return this.broken;
    const seq = this.expectedSeq;
    if (link.seq !== seq) {
      return this.fail(seq, `record ${seq} missing: the next stored record is ${link.seq}`);
    }
    // A stored record edited into a non-object must be named, not crash the walk.
    const recordSeq = (link.record as Partial<AuditRecord> | null)?.seq;
    if (recordSeq !== link.seq) {
      return this.fail(seq, `out of order: record ${String(recordSeq)} is stored at ${link.seq}`);
    }
    if (this.prevHash !== undefined && link.prevHash !== this.prevHash) {
      return this.fail(seq, 'previous-hash link broken: a record before it was removed, inserted or reordered');
    }
    if (safeChainHash(link.prevHash, link.record) !== link.hash) {
      return this.fail(seq, 'hash mismatch: the record was modified');
    }
    this.prevHash = link.hash;
    this.expectedSeq = seq + 1;
    this.verified++;
    return null;
  }

  /** Records a failure found outside the walk (a checkpoint, the head); the first one wins. */
  fail(seq: number, reason: string): BrokenLink {
    this.broken ??= { seq, reason };
    return this.broken;
  }
}
