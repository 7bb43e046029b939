import { Inject, Injectable } from '@nestjs/common';
import type { Database, Sql } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';

/** The hashes kept for one client. */
export interface ClientSecretRow {
  /** SHA-256 of the client secret; null for public clients. */
  secretHash: Buffer | null;
  /** SHA-256 of the RFC 7592 registration access token. */
  registrationTokenHash: Buffer;
}

/** PGlite returns bytea as Uint8Array, pg as Buffer. */
function buffer(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
}

/** `token.client_secrets`: secrets only as SHA-256 hashes, written in the transaction of the client's event. */
@Injectable()
export class ClientSecretStore {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** The hashes of a client, or null when it has none (unknown or deleted). */
  async get(clientId: string, sql: Sql = this.db): Promise<ClientSecretRow | null> {
    const rows = await sql.query<{ secret_hash: unknown; registration_token_hash: unknown }>(
      'SELECT secret_hash, registration_token_hash FROM token.client_secrets WHERE client_id = $1',
      [clientId],
    );
    if (rows.length === 0) return null;
    return {
      secretHash: rows[0].secret_hash === null ? null : buffer(rows[0].secret_hash),
      registrationTokenHash: buffer(rows[0].registration_token_hash),
    };
  }

  /** Creates the row of a new client. */
  async insert(tx: Sql, clientId: string, row: ClientSecretRow): Promise<void> {
    await tx.query(
      'INSERT INTO token.client_secrets (client_id, secret_hash, registration_token_hash) VALUES ($1, $2, $3)',
      [clientId, row.secretHash, row.registrationTokenHash],
    );
  }

  /** Replaces the client secret's hash (rotation). */
  async replaceSecret(tx: Sql, clientId: string, secretHash: Buffer | null): Promise<void> {
    await tx.query('UPDATE token.client_secrets SET secret_hash = $2, updated_at = now() WHERE client_id = $1', [
      clientId,
      secretHash,
    ]);
  }

  /** Forgets a deleted client's hashes. */
  async delete(tx: Sql, clientId: string): Promise<void> {
    await tx.query('DELETE FROM token.client_secrets WHERE client_id = $1', [clientId]);
  }
}
