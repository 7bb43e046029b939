import { Inject, Injectable } from '@nestjs/common';
import type { Database, Sql } from '@tessera/event-store';
import { KeyEncryptionKey } from '@tessera/keys';
import { CONFIG, DATABASE, type TesseraConfig } from '@tessera/platform';
import { generateUserKey, PersonalDataCipher } from './personal-data.cipher';

interface SealedKeyRow {
  user_id: string;
  kek_id: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  auth_tag: Uint8Array;
}

/** The KEK of a serving config (DESIGN §9: TESSERA_KEK). */
export function kekOf(config: TesseraConfig): KeyEncryptionKey {
  if (config.mode === 'cli' || config.kek === undefined)
    throw new Error('the authentication service needs TESSERA_KEK');
  return new KeyEncryptionKey(config.kek.reveal());
}

/**
 * `authentication.user_keys`: each user's data key, sealed with TESSERA_KEK
 * (context `user-key:<id>`). Deleting the row, in the transaction of
 * `user.deleted`, makes every copy of the user's personal data unreadable at
 * once (DESIGN §2, crypto-shredding).
 */
@Injectable()
export class UserKeyStore {
  private readonly kek: KeyEncryptionKey;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    this.kek = kekOf(config);
  }

  /** Creates and stores a new user's key, in the caller's transaction. */
  async create(tx: Sql, userId: string): Promise<PersonalDataCipher> {
    const key = generateUserKey();
    const sealed = this.kek.seal(key, context(userId));
    await tx.query(
      'INSERT INTO authentication.user_keys (user_id, kek_id, iv, ciphertext, auth_tag) VALUES ($1, $2, $3, $4, $5)',
      [userId, sealed.kekId, sealed.iv, sealed.ciphertext, sealed.authTag],
    );
    return new PersonalDataCipher(key, userId);
  }

  /** The cipher of a user, or null when their key is gone (deleted) or never existed. */
  async load(userId: string, sql: Sql = this.db): Promise<PersonalDataCipher | null> {
    return (await this.loadMany([userId], sql)).get(userId) ?? null;
  }

  /** The ciphers of several users (those without a key are absent from the map). */
  async loadMany(userIds: readonly string[], sql: Sql = this.db): Promise<Map<string, PersonalDataCipher>> {
    const ciphers = new Map<string, PersonalDataCipher>();
    if (userIds.length === 0) return ciphers;
    const rows = await sql.query<SealedKeyRow>(
      'SELECT user_id::text AS user_id, kek_id, iv, ciphertext, auth_tag FROM authentication.user_keys WHERE user_id = ANY($1::uuid[])',
      [userIds],
    );
    for (const r of rows) {
      // pg returns Buffer, PGlite Uint8Array: normalise at the edge.
      const key = this.kek.open(
        {
          kekId: r.kek_id,
          iv: Buffer.from(r.iv),
          ciphertext: Buffer.from(r.ciphertext),
          authTag: Buffer.from(r.auth_tag),
        },
        context(r.user_id),
      );
      ciphers.set(r.user_id, new PersonalDataCipher(key, r.user_id));
    }
    return ciphers;
  }

  /** Destroys a user's key (crypto-shredding), in the transaction of `user.deleted`. */
  async destroy(tx: Sql, userId: string): Promise<void> {
    await tx.query('DELETE FROM authentication.user_keys WHERE user_id = $1', [userId]);
  }
}

function context(userId: string): string {
  return `user-key:${userId}`;
}
