/** Options of `signingKeysTableSql`. */
export interface SigningKeysTableOptions {
  /** `CREATE TABLE IF NOT EXISTS`: for a migration a database may have applied under a former id. */
  ifNotExists?: boolean;
}

/**
 * The DDL of an owner's private key table `<schema>.signing_keys` (DESIGN §5),
 * which SigningKeyVault reads and writes: private JWKs sealed with TESSERA_KEK
 * (AES-256-GCM), never in an event; the public facts (kid, alg, public JWK,
 * lifecycle) are in the log. The service role gets its grants from the service
 * grants run after every migration run (libs/event-store).
 */
export function signingKeysTableSql(schema: string, opts: SigningKeysTableOptions = {}): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  return `
    CREATE TABLE ${opts.ifNotExists ? 'IF NOT EXISTS ' : ''}${schema}.signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      kek_version text NOT NULL,
      iv bytea NOT NULL,
      ciphertext bytea NOT NULL,
      auth_tag bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );`;
}
