import type { Sql } from '@tessera/event-store';

/**
 * Reads and writes `(key, state)` rows of one table (live or shadow) with one
 * statement each, whatever the batch size (DESIGN §4 batches).
 */
export class StateTable<S> {
  constructor(private readonly table: string) {}

  /** The current states of `keys`; absent keys are missing from the map. */
  async load(sql: Sql, keys: readonly string[]): Promise<Map<string, S>> {
    const states = new Map<string, S>();
    if (keys.length === 0) return states;
    const rows = await sql.query<{ key: string; state: S }>(
      `SELECT key, state FROM ${this.table} WHERE key = ANY($1::text[])`,
      [keys],
    );
    for (const row of rows) states.set(row.key, row.state);
    return states;
  }

  /** The state of one key, or null. */
  async get(sql: Sql, key: string): Promise<S | null> {
    const rows = await sql.query<{ state: S }>(`SELECT state FROM ${this.table} WHERE key = $1`, [key]);
    return rows.length === 0 ? null : rows[0].state;
  }

  /** One multi-row upsert (keys must be distinct). */
  async upsert(sql: Sql, rows: readonly { key: string; state: S }[]): Promise<void> {
    if (rows.length === 0) return;
    await sql.query(
      `INSERT INTO ${this.table} (key, state) ` +
        `SELECT r.key, r.state FROM jsonb_to_recordset($1::jsonb) AS r(key text, state jsonb) ` +
        `ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state`,
      [JSON.stringify(rows)],
    );
  }

  /** One DELETE for every key whose state folded to null. */
  async delete(sql: Sql, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await sql.query(`DELETE FROM ${this.table} WHERE key = ANY($1::text[])`, [keys]);
  }
}
