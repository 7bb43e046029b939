import { type Database, PgDatabase, PgliteDatabase, SqlEventStore } from '@tessera/event-store';
import { loadConfig, pgliteLocation } from '@tessera/platform';
import { type IntegrityReport, verifyAuditChain } from '../../../audit/src/integrity/audit-integrity';
import type { CliCommand } from '../cli-command';

const USAGE = 'usage: tessera audit verify\n';

/** Where `tessera audit` writes; tests pass their own. */
export interface AuditCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Opens the database (default: DATABASE_URL, else the standalone data dir, as `tessera migrate`). */
  open?: () => Promise<Database>;
}

const processIo: AuditCommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * `tessera audit verify` (issue 7 §1): verifies the audit hash chain and its
 * signed checkpoints as `/audit/integrity` does, with a progress bar on
 * stderr; exit 0 when intact, 1 naming the first broken link.
 */
export function createAuditCommand(io: AuditCommandIo = processIo): CliCommand {
  return {
    name: 'audit',
    summary: 'audit verify: checks the audit hash chain and its signed checkpoints, names the first broken link',
    async run(args: string[]): Promise<number> {
      if (args.length !== 1 || args[0] !== 'verify') {
        io.err(USAGE);
        return 2;
      }
      const db = await (io.open ?? openDatabase)();
      try {
        return await verify(db, io);
      } catch (err) {
        // 42P01 undefined_table, 3F000 invalid_schema_name: never migrated.
        const code = (err as { code?: string }).code;
        if (code !== '42P01' && code !== '3F000') throw err;
        io.err('tessera audit: the audit schema is not migrated: run `tessera migrate`\n');
        return 1;
      } finally {
        await db.close();
      }
    },
  };
}

/** The `tessera audit` command of the CLI. */
export const command: CliCommand = createAuditCommand();

async function openDatabase(): Promise<Database> {
  const config = loadConfig('cli');
  const url = config.databaseUrl?.reveal();
  return url
    ? new PgDatabase({ connectionString: url, applicationName: 'tessera-audit', max: 2 })
    : PgliteDatabase.open(pgliteLocation(config.dataDir));
}

async function verify(db: Database, io: AuditCommandIo): Promise<number> {
  const started = Date.now();
  let last = 0;
  const report = await verifyAuditChain(db, new SqlEventStore(db), (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    io.err(`\r${formatVerifyProgress(done, total, (done * 1000) / Math.max(1, now - started))}`);
  });
  io.err('\n');
  io.out(formatReport(report));
  return report.ok ? 0 : 1;
}

/** `[#####-----] 45% 45,000/100,000 records 12,345 rec/s` (the style of `tessera projections rebuild`). */
export function formatVerifyProgress(done: number, total: number, perSecond: number, width = 10): string {
  const ratio = total <= 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ` +
    `${n(done)}/${n(total)} records ${n(perSecond)} rec/s`
  );
}

/** One line per fact of the report. */
export function formatReport(report: IntegrityReport): string {
  const checkpoints =
    `${report.checkpoints.verified} signed checkpoint(s) verified` +
    (report.checkpoints.latest === null ? '' : `, latest at ${report.checkpoints.latest}`);
  if (report.broken) {
    return (
      `audit chain BROKEN at record ${report.broken.seq}: ${report.broken.reason}\n` +
      `${report.verified} record(s) verified before it (from ${report.from}); ${checkpoints}\n`
    );
  }
  return `audit chain intact: ${report.verified} record(s) from ${report.from} to ${report.head.seq}; ${checkpoints}\n`;
}
