import { Inject, Injectable } from '@nestjs/common';
import type { Database, Sql } from '@tessera/event-store';
import { KeyEncryptionKey } from '@tessera/keys';
import { CONFIG, DATABASE, type TesseraConfig } from '@tessera/platform';

interface Row {
  kek_id: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  auth_tag: Uint8Array;
  confirmed: boolean;
}

/** A user's TOTP seed (base32) and whether enrollment was confirmed. */
export interface StoredTotpSecret {
  secret: string;
  confirmed: boolean;
}

/**
 * `authentication.totp_secrets`: TOTP seeds sealed with TESSERA_KEK, the only
 * place they exist (issue 5 §4, DESIGN §2: never in an event).
 */
@Injectable()
export class TotpSecretStore {
  private readonly kek: KeyEncryptionKey;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    if (config.mode === 'cli' || config.kek === undefined) throw new Error('MFA needs TESSERA_KEK');
    this.kek = new KeyEncryptionKey(config.kek.reveal());
  }

  /** The user's seed, or null. */
  async get(userId: string, sql: Sql = this.db): Promise<StoredTotpSecret | null> {
    const rows = await sql.query<Row>(
      'SELECT kek_id, iv, ciphertext, auth_tag, confirmed FROM authentication.totp_secrets WHERE user_id = $1',
      [userId],
    );
    const r = rows[0];
    if (!r) return null;
    // pg returns Buffer, PGlite Uint8Array: normalise at the edge.
    const plain = this.kek.open(
      {
        kekId: r.kek_id,
        iv: Buffer.from(r.iv),
        ciphertext: Buffer.from(r.ciphertext),
        authTag: Buffer.from(r.auth_tag),
      },
      context(userId),
    );
    return { secret: plain.toString('utf8'), confirmed: r.confirmed };
  }

  /** Stores a pending (unconfirmed) seed, replacing a pending one; never replaces a confirmed one. */
  async putPending(userId: string, secret: string): Promise<boolean> {
    const sealed = this.kek.seal(Buffer.from(secret, 'utf8'), context(userId));
    const rows = await this.db.query(
      `INSERT INTO authentication.totp_secrets (user_id, kek_id, iv, ciphertext, auth_tag, confirmed)
       VALUES ($1, $2, $3, $4, $5, false)
       ON CONFLICT (user_id) DO UPDATE SET kek_id = EXCLUDED.kek_id, iv = EXCLUDED.iv,
         ciphertext = EXCLUDED.ciphertext, auth_tag = EXCLUDED.auth_tag, updated_at = now()
       WHERE authentication.totp_secrets.confirmed = false
       RETURNING user_id`,
      [userId, sealed.kekId, sealed.iv, sealed.ciphertext, sealed.authTag],
    );
    return rows.length === 1;
  }

  /** Marks the seed confirmed, in the transaction of `mfa.totp-enrolled`. */
  async confirm(tx: Sql, userId: string): Promise<void> {
    await tx.query('UPDATE authentication.totp_secrets SET confirmed = true, updated_at = now() WHERE user_id = $1', [
      userId,
    ]);
  }
}

function context(userId: string): string {
  return `totp-secret:${userId}`;
}
