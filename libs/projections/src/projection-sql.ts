import type { Sql } from '@tessera/event-store';
import type { Projection } from './projection';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema/table/index name after checking it is a plain lower-case identifier. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid SQL identifier for a projection: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Fully qualified, quoted names of everything a projection stores (DESIGN §4). */
export interface ProjectionTables {
  schema: string;
  /** `"schema"."name"`: the live read model. */
  live: string;
  /** `"schema"."name__shadow"`: where a rebuild replays into. */
  shadow: string;
  checkpoints: string;
  deadLetters: string;
}

/** The tables of a projection. */
export function tablesOf(p: Pick<Projection, 'schema' | 'name'>): ProjectionTables {
  const s = ident(p.schema);
  return {
    schema: s,
    live: `${s}.${ident(p.name)}`,
    shadow: `${s}.${ident(`${p.name}__shadow`)}`,
    checkpoints: `${s}.projection_checkpoints`,
    deadLetters: `${s}.projection_dead_letters`,
  };
}

/** The table name a projection's rows live in when it is `table` (live or shadow). */
function tableStatements(p: Projection, tableName: string): string[] {
  const s = ident(p.schema);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${s}.${ident(tableName)} (key text NOT NULL, state jsonb NOT NULL, ` +
      `CONSTRAINT ${ident(`${tableName}_pkey`)} PRIMARY KEY (key))`,
  ];
  for (const [suffix, field] of Object.entries(p.indexes ?? {})) {
    statements.push(
      `CREATE INDEX IF NOT EXISTS ${ident(`${tableName}_${suffix}`)} ON ${s}.${ident(tableName)} ` +
        `((state->>${literal(field)}))`,
    );
  }
  return statements;
}

/** Single-quoted SQL string literal (only for jsonb field names from code, never user input). */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Creates the schema, the checkpoint and dead-letter tables and the live table
 * with its indexes when missing. Runs under a transaction-level advisory lock
 * because concurrent `CREATE … IF NOT EXISTS` can still collide in the catalog.
 */
export async function ensureProjectionTables(tx: Sql, p: Projection): Promise<void> {
  const t = tablesOf(p);
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.projections.ddl'))`);
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
  await tx.query(
    `CREATE TABLE IF NOT EXISTS ${t.checkpoints} (name text PRIMARY KEY, version int NOT NULL, ` +
      `transaction_id xid8 NOT NULL, position bigint NOT NULL, status text NOT NULL DEFAULT 'ok', error text, ` +
      `updated_at timestamptz NOT NULL DEFAULT now())`,
  );
  await tx.query(
    `CREATE TABLE IF NOT EXISTS ${t.deadLetters} (projection text NOT NULL, event_id uuid NOT NULL, ` +
      `position bigint NOT NULL, error text NOT NULL, message jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now(), ` +
      `published_at timestamptz, PRIMARY KEY (projection, event_id))`,
  );
  for (const statement of tableStatements(p, p.name)) await tx.query(statement);
}

/** Drops any stale shadow table and creates an empty one with the projection's indexes. */
export async function createShadowTable(tx: Sql, p: Projection): Promise<void> {
  await tx.query(`DROP TABLE IF EXISTS ${tablesOf(p).shadow}`);
  for (const statement of tableStatements(p, `${p.name}__shadow`)) await tx.query(statement);
}

/**
 * Replaces the live table by the shadow one (DESIGN §4 atomic swap): drop,
 * rename, and rename the primary key and indexes back to their live names.
 * Must run inside the transaction that also moves the checkpoint.
 */
export async function swapShadowIntoLive(tx: Sql, p: Projection): Promise<void> {
  const t = tablesOf(p);
  const shadowName = `${p.name}__shadow`;
  await tx.query(`DROP TABLE IF EXISTS ${t.live}`);
  await tx.query(`ALTER TABLE ${t.shadow} RENAME TO ${ident(p.name)}`);
  await tx.query(
    `ALTER TABLE ${t.live} RENAME CONSTRAINT ${ident(`${shadowName}_pkey`)} TO ${ident(`${p.name}_pkey`)}`,
  );
  for (const suffix of Object.keys(p.indexes ?? {})) {
    await tx.query(
      `ALTER INDEX ${t.schema}.${ident(`${shadowName}_${suffix}`)} RENAME TO ${ident(`${p.name}_${suffix}`)}`,
    );
  }
}

/** True when a database error is "relation does not exist" (SQLSTATE 42P01). */
export function isUndefinedTable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '42P01';
}
