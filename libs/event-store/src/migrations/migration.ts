/** One forward-only schema migration: SQL run once, in order of `id`, tracked in `eventlog.schema_migrations`. */
export interface Migration {
  /** `NNNN_name`; the order is the order of ids. */
  id: string;
  /** One or more SQL statements. */
  up: string;
}
