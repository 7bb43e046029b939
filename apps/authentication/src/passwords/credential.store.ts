import { Inject, Injectable } from '@nestjs/common';
import type { Database, Sql } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';

/**
 * `authentication.credentials`: argon2id password hashes, the only place they
 * exist (DESIGN §2: never in an event), written in the transaction of the
 * user's event.
 */
@Injectable()
export class CredentialStore {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** The user's password hash, or null when they have none. */
  async get(userId: string, sql: Sql = this.db): Promise<string | null> {
    const rows = await sql.query<{ password_hash: string }>(
      'SELECT password_hash FROM authentication.credentials WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.password_hash ?? null;
  }

  /** Sets the user's password hash, in the caller's transaction. */
  async set(tx: Sql, userId: string, passwordHash: string): Promise<void> {
    await tx.query(
      `INSERT INTO authentication.credentials (user_id, password_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()`,
      [userId, passwordHash],
    );
  }

  /** Replaces a hash by a rehash of the same password, unless the password changed meanwhile. */
  async rehash(userId: string, previous: string, next: string): Promise<void> {
    await this.db.query(
      'UPDATE authentication.credentials SET password_hash = $3, updated_at = now() WHERE user_id = $1 AND password_hash = $2',
      [userId, previous, next],
    );
  }

  /** Forgets the user's password, TOTP seed and recovery-code hashes (deletion). */
  async delete(tx: Sql, userId: string): Promise<void> {
    await tx.query('DELETE FROM authentication.credentials WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM authentication.totp_secrets WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM authentication.recovery_codes WHERE user_id = $1', [userId]);
  }
}
