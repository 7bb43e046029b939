import {
  AUDIT_CHECKPOINT_TYP,
  AUDIT_SOURCE,
  LEGACY_SIGNING_KEY_OWNER,
  SIGNING_KEY_CREATED,
  type SigningKeyCreatedData,
  signingKeyStream,
} from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { compactVerify, importJWK } from 'jose';
import type { StoredCheckpoint } from '../trail/chain-checkpoints';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Verifies signed checkpoints (issue 7 §1) with the audit service's PUBLIC
 * keys as the log published them (`signing-key.created`, read from the key's
 * own stream, exact): a checkpoint counts only when its JWS verifies with a
 * key of owner `audit` and its payload names the stored seq and hash.
 */
export class CheckpointSignatures {
  private readonly keys = new Map<string, Promise<VerifyKey | null>>();

  constructor(private readonly store: EventStore) {}

  /** null when the checkpoint verifies; else why not. */
  async problem(checkpoint: StoredCheckpoint): Promise<string | null> {
    const key = await this.key(checkpoint.kid);
    if (!key) return `checkpoint ${checkpoint.seq}: key ${checkpoint.kid} is not an audit signing key of the log`;
    let payload: Record<string, unknown>;
    try {
      const verified = await compactVerify(checkpoint.jws, key);
      if (verified.protectedHeader.typ !== AUDIT_CHECKPOINT_TYP || verified.protectedHeader.kid !== checkpoint.kid) {
        return `checkpoint ${checkpoint.seq}: not an audit checkpoint signature`;
      }
      payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch {
      return `checkpoint ${checkpoint.seq}: signature invalid`;
    }
    if (payload.iss !== AUDIT_SOURCE || payload.seq !== checkpoint.seq || payload.hash !== checkpoint.hash) {
      return `checkpoint ${checkpoint.seq}: stored seq or hash differs from the signed one`;
    }
    return null;
  }

  private key(kid: string): Promise<VerifyKey | null> {
    let key = this.keys.get(kid);
    if (!key) {
      key = this.load(kid);
      this.keys.set(kid, key);
    }
    return key;
  }

  private async load(kid: string): Promise<VerifyKey | null> {
    const events = await this.store.readStream(signingKeyStream(kid));
    const created = events.find((e) => e.type === SIGNING_KEY_CREATED);
    if (!created) return null;
    const d = created.data as unknown as SigningKeyCreatedData;
    if ((d.owner ?? LEGACY_SIGNING_KEY_OWNER) !== 'audit') return null;
    return importJWK(d.publicJwk, d.alg);
  }
}
