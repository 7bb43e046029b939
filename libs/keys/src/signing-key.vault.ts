import { NotFoundError, type Sql } from '@tessera/event-store';
import type { JWK } from 'jose';
import type { KeyEncryptionKey } from './key-encryption-key';
import { openPrivateJwk, sealPrivateJwk } from './sealed-signing-key';

interface SealedRow {
  kek_version: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  auth_tag: Uint8Array;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The private halves of one service's signing keys (DESIGN §5): sealed with
 * TESSERA_KEK (AES-256-GCM, kid as AAD) in `<schema>.signing_keys`, the only
 * place they exist.
 */
export class SigningKeyVault {
  private readonly table: string;

  constructor(
    private readonly kek: KeyEncryptionKey,
    schema: string,
  ) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`not a schema name: ${schema}`);
    this.table = `"${schema}".signing_keys`;
  }

  /** Seals and stores a private JWK; joins the caller's transaction so the row and its event commit together. */
  async store(tx: Sql, kid: string, alg: string, privateJwk: JWK): Promise<void> {
    const sealed = sealPrivateJwk(this.kek, kid, privateJwk);
    await tx.query(
      `INSERT INTO ${this.table} (kid, alg, kek_version, iv, ciphertext, auth_tag) VALUES ($1, $2, $3, $4, $5, $6)`,
      [kid, alg, sealed.kekId, sealed.iv, sealed.ciphertext, sealed.authTag],
    );
  }

  /** The private JWK of `kid`; throws when it is absent here or does not open with this KEK. */
  async load(db: Sql, kid: string): Promise<JWK> {
    const rows = await db.query<SealedRow>(
      `SELECT kek_version, iv, ciphertext, auth_tag FROM ${this.table} WHERE kid = $1`,
      [kid],
    );
    if (rows.length === 0) throw new NotFoundError(`no private key for signing key ${kid}`);
    const r = rows[0];
    // pg returns Buffer, PGlite Uint8Array: normalise at the edge.
    return openPrivateJwk(this.kek, kid, {
      kekId: r.kek_version,
      iv: Buffer.from(r.iv),
      ciphertext: Buffer.from(r.ciphertext),
      authTag: Buffer.from(r.auth_tag),
    });
  }
}
