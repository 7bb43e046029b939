import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Database, Sql } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';

/** How many recovery codes a user gets at once. */
export const RECOVERY_CODE_COUNT = 10;

/** A recovery code as shown once: 128 random bits, base32-like groups for reading aloud. */
export interface NewRecoveryCode {
  codeId: string;
  code: string;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols, no 0/O/1/I

/** A new recovery code: 26 symbols of 5 bits (130 bits) from the CSPRNG, in groups of 4. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(26);
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return symbols.match(/.{1,4}/g)!.join('-');
}

/** The canonical form of a typed recovery code (case, spaces and dashes ignored). */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** SHA-256 of the canonical code: enough for 128-bit random values (brief: no slow hash needed). */
export function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256').update(normalizeRecoveryCode(code), 'utf8').digest();
}

/** `authentication.recovery_codes`: only hashes, looked up by hash. */
@Injectable()
export class RecoveryCodeStore {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Replaces the user's codes, in the transaction of `mfa.recovery-codes-generated`. */
  async replace(tx: Sql, userId: string, codes: readonly NewRecoveryCode[]): Promise<void> {
    await tx.query('DELETE FROM authentication.recovery_codes WHERE user_id = $1', [userId]);
    for (const c of codes) {
      await tx.query('INSERT INTO authentication.recovery_codes (user_id, code_id, code_hash) VALUES ($1, $2, $3)', [
        userId,
        c.codeId,
        hashRecoveryCode(c.code),
      ]);
    }
  }

  /** The id of the user's code with this value, or null. */
  async find(userId: string, code: string): Promise<string | null> {
    const rows = await this.db.query<{ code_id: string }>(
      'SELECT code_id FROM authentication.recovery_codes WHERE user_id = $1 AND code_hash = $2',
      [userId, hashRecoveryCode(code)],
    );
    return rows[0]?.code_id ?? null;
  }
}
