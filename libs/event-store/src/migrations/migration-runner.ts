import type { Database } from '../database';
import { EVENT_STORE_LOCK_NAMESPACE, MIGRATION_LOCK_KEY } from '../event-store.sql';
import { eventLogMigrations } from './index';
import type { Migration } from './migration';
import { SERVICE_GRANTS_SQL } from './service-grants.sql';

/** Options of runMigrations. */
export interface RunMigrationsOptions {
  log?: (msg: string) => void;
  /**
   * Service migrations applied after the event log's, in the given order
   * (ids prefixed `<service>/`, e.g. `token/0001_signing_keys`); they share one
   * tracking table, so ids must be unique across sets.
   */
  migrations?: readonly Migration[];
}

/** Every migration `runMigrations` applies for these extras: the event log's (by id), then the extras in order. */
export function migrationPlan(extra: readonly Migration[] = []): Migration[] {
  const plan = [...eventLogMigrations].sort((a, b) => a.id.localeCompare(b.id));
  const seen = new Set(plan.map((m) => m.id));
  for (const m of extra) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
    plan.push(m);
  }
  return plan;
}

/**
 * Applies the pending migrations in one transaction (all or nothing), under
 * a transaction-level advisory lock so that concurrent starters queue instead
 * of racing (never `synchronize`). The event log's migrations always come
 * first: service schemas and grants depend on them. Returns the ids it applied.
 */
export async function runMigrations(db: Database, opts: RunMigrationsOptions = {}): Promise<string[]> {
  const migrations = migrationPlan(opts.migrations);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [EVENT_STORE_LOCK_NAMESPACE, MIGRATION_LOCK_KEY]);
    await tx.query(`
      CREATE SCHEMA IF NOT EXISTS eventlog;
      CREATE TABLE IF NOT EXISTS eventlog.schema_migrations (
        id text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM eventlog.schema_migrations')).map((r) => r.id),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      opts.log?.(`applying ${m.id}`);
      await tx.query(m.up);
      await tx.query('INSERT INTO eventlog.schema_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
    await tx.query(SERVICE_GRANTS_SQL);
    return applied;
  });
}
