import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Database, Sql } from '@tessera/event-store';
import { CONFIG, DATABASE, type TesseraConfig } from '@tessera/platform';
import { UserNameTakenError } from './user.errors';
import { normalizeUserName } from './user-profile';

/** HKDF info of the userName index key: a key of its own, derived from TESSERA_KEK (RFC 5869). */
const INDEX_KEY_INFO = 'tessera:authentication:user-name-index:v1';

/** The keyed, non-reversible digest of a userName: HMAC-SHA256 of its normalized form. */
export function userNameDigest(indexKey: Buffer, userName: string): string {
  return createHmac('sha256', indexKey).update(normalizeUserName(userName), 'utf8').digest('base64url');
}

/** The HMAC key of the userName index, derived from the KEK. */
export function userNameIndexKey(kek: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), INDEX_KEY_INFO, 32));
}

/**
 * `authentication.user_names`: live userName → user id, by keyed digest only
 * (never the plain name), so a lookup by userName is exact and a second user
 * with the same name is refused (RFC 7644 §3.3 `uniqueness`). The row goes
 * with the user (crypto-shredding leaves no name behind).
 */
@Injectable()
export class UserNameIndex {
  private readonly key: Buffer;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    if (config.mode === 'cli' || config.kek === undefined) throw new Error('UserNameIndex needs TESSERA_KEK');
    this.key = userNameIndexKey(config.kek.reveal());
  }

  /** The id of the live user with this userName, or null. */
  async find(userName: string, sql: Sql = this.db): Promise<string | null> {
    const rows = await sql.query<{ user_id: string }>(
      'SELECT user_id::text AS user_id FROM authentication.user_names WHERE name_digest = $1',
      [userNameDigest(this.key, userName)],
    );
    return rows[0]?.user_id ?? null;
  }

  /**
   * Points `userName` at `userId` (replacing the user's previous name), in the
   * caller's transaction; throws UserNameTakenError when another user has it.
   * ON CONFLICT waits for a concurrent claim to commit, so two creates of one
   * name cannot both win.
   */
  async claim(tx: Sql, userId: string, userName: string): Promise<void> {
    const digest = userNameDigest(this.key, userName);
    const mine = await tx.query<{ user_id: string }>(
      'SELECT user_id::text AS user_id FROM authentication.user_names WHERE name_digest = $1',
      [digest],
    );
    if (mine[0]?.user_id === userId) return;
    await this.release(tx, userId);
    const inserted = await tx.query(
      'INSERT INTO authentication.user_names (name_digest, user_id) VALUES ($1, $2) ON CONFLICT (name_digest) DO NOTHING RETURNING user_id',
      [digest, userId],
    );
    if (inserted.length === 0) throw new UserNameTakenError();
  }

  /** Frees the user's name (deletion). */
  async release(tx: Sql, userId: string): Promise<void> {
    await tx.query('DELETE FROM authentication.user_names WHERE user_id = $1', [userId]);
  }
}
