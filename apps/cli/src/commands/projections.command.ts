import { type Database, type EventStore, PgDatabase, PgliteDatabase, SqlEventStore } from '@tessera/event-store';
import { loadConfig, pgliteLocation } from '@tessera/platform';
import {
  type Projection,
  projectionStatus,
  rebuildProjection,
  storedProjectionStatus,
  type ProjectionStatus,
} from '@tessera/projections';
import type { CliCommand } from '../cli-command';

const USAGE = 'usage: tessera projections status | tessera projections rebuild <schema.name>\n';

/** Where the command writes; tests pass their own. */
export interface ProjectionsCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Opens the database (default: DATABASE_URL, else the standalone data dir, as `tessera migrate`). */
  open?: () => Promise<Database>;
}

const processIo: ProjectionsCommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * `tessera projections status|rebuild <schema.name>` (DESIGN §4). `status`
 * lists every projection with a checkpoint in the database plus the known
 * ones not started yet; `rebuild` needs the projection's code, so only the
 * projections passed here can be rebuilt.
 */
export function createProjectionsCommand(
  projections: readonly Projection[],
  io: ProjectionsCommandIo = processIo,
): CliCommand {
  return {
    name: 'projections',
    summary: 'projections status (version, cursor, lag, health) | projections rebuild <schema.name>',
    async run(args: string[]): Promise<number> {
      const [sub, target, ...rest] = args;
      if (sub === 'status' && target === undefined)
        return withStore(io, (db, store) => status(db, store, projections, io));
      if (sub === 'rebuild' && target !== undefined && rest.length === 0) {
        const projection = projections.find((p) => `${p.schema}.${p.name}` === target);
        if (!projection) {
          const known = projections.map((p) => `${p.schema}.${p.name}`).join(', ') || 'none registered in this build';
          io.err(`tessera projections: unknown projection "${target}" (known: ${known})\n`);
          return 2;
        }
        return withStore(io, (db, store) => rebuild(db, store, projection, io));
      }
      io.err(USAGE);
      return 2;
    },
  };
}

// TODO(issue 3): pass the services' projections once they exist; until then `status`
// shows what the database holds and `rebuild` reports that no projection is registered.
/** The `tessera projections` command of the CLI. */
export const command: CliCommand = createProjectionsCommand([]);

async function withStore(io: ProjectionsCommandIo, fn: (db: Database, store: EventStore) => Promise<number>) {
  const db = await (io.open ?? openDatabase)();
  try {
    return await fn(db, new SqlEventStore(db));
  } finally {
    await db.close();
  }
}

async function openDatabase(): Promise<Database> {
  const config = loadConfig('cli');
  const url = config.databaseUrl?.reveal();
  return url
    ? new PgDatabase({ connectionString: url, applicationName: 'tessera-projections', max: 2 })
    : PgliteDatabase.open(pgliteLocation(config.dataDir));
}

async function status(
  db: Database,
  store: EventStore,
  projections: readonly Projection[],
  io: ProjectionsCommandIo,
): Promise<number> {
  const stored = await storedProjectionStatus(db, store);
  const known = await projectionStatus(db, store, projections);
  const rows: ProjectionStatus[] = [...stored];
  for (const k of known) {
    const i = rows.findIndex((r) => r.schema === k.schema && r.name === k.name);
    if (i >= 0)
      rows[i] = k; // the code is known: also compare versions
    else rows.push(k);
  }
  if (rows.length === 0) {
    io.out('no projections: none has a checkpoint in this database and none is registered\n');
    return 0;
  }
  io.out(
    formatTable(
      ['projection', 'version', 'cursor', 'lag', 'health'],
      rows.map((r) => [
        `${r.schema}.${r.name}`,
        String(r.version),
        `${r.cursor.transactionId}/${r.cursor.position}`,
        r.lag.toLocaleString('en-US'),
        r.healthy ? 'ok' : `UNHEALTHY${r.error ? `: ${r.error}` : ''}`,
      ]),
    ),
  );
  return rows.every((r) => r.healthy) ? 0 : 1;
}

async function rebuild(db: Database, store: EventStore, projection: Projection, io: ProjectionsCommandIo) {
  const started = Date.now();
  let last = 0;
  await rebuildProjection({
    db,
    store,
    projection,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      io.err(`\r${formatProgress(done, total, (done * 1000) / Math.max(1, now - started))}`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  io.err('\n');
  io.out(
    `rebuilt ${projection.schema}.${projection.name} (version ${projection.version}) in ${seconds.toFixed(1)} s\n`,
  );
  return 0;
}

/** `[#####-----] 45% 45,000/100,000 events 12,345 ev/s` */
export function formatProgress(done: number, total: number, eventsPerSecond: number, width = 10): string {
  const ratio = total <= 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ` +
    `${n(done)}/${n(total)} events ${n(eventsPerSecond)} ev/s`
  );
}

/** A plain left-aligned text table. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd() + '\n';
  return line(header) + line(widths.map((w) => '-'.repeat(w))) + rows.map(line).join('');
}
