import { type Database, PgDatabase, PgliteDatabase, SqlEventStore } from '@tessera/event-store';
import { defaultSigningKeySettings, KeyEncryptionKey, SigningKeys, signingKeysProjection } from '@tessera/keys';
import { ConfigError, loadConfig, loadStoredKek, MEMORY_DATA_DIR, pgliteLocation } from '@tessera/platform';
import { ProjectionRunner } from '@tessera/projections';
import type { CliCommand } from '../cli-command';

const USAGE = 'usage: tessera keys rotate [--service token|introspection] | tessera keys list\n';

/** The services that sign with keys of their own (DESIGN §5); each keeps them in its schema of the same name. */
const SIGNING_SERVICES = ['token', 'introspection'] as const;
type SigningService = (typeof SIGNING_SERVICES)[number];

function isSigningService(name: string | undefined): name is SigningService {
  return (SIGNING_SERVICES as readonly (string | undefined)[]).includes(name);
}

/** `rotate [--service S]` or `list`; null when the arguments are not understood. */
function parse(args: string[]): { sub: 'rotate' | 'list'; service: SigningService } | null {
  const [sub, ...rest] = args;
  if (sub === 'list' && rest.length === 0) return { sub, service: 'token' };
  if (sub !== 'rotate') return null;
  if (rest.length === 0) return { sub, service: 'token' };
  const service =
    rest.length === 2 && rest[0] === '--service'
      ? rest[1]
      : rest.length === 1
        ? /^--service=(.+)$/.exec(rest[0])?.[1]
        : undefined;
  return isSigningService(service) ? { sub, service } : null;
}

/** Where `tessera keys` reads its configuration and writes (tests pass their own). */
export interface KeysCommandIo {
  /** Environment to load the CLI config from; the process's when absent. */
  env?: Record<string, string | undefined>;
  /** One output line (stdout). */
  out?: (line: string) => void;
  /** Usage text (stderr). */
  err?: (text: string) => void;
}

/**
 * `tessera keys rotate [--service token|introspection]`: creates and publishes
 * that service's next signing key (DESIGN §5; default token) on DATABASE_URL
 * (needs TESSERA_KEK) or the standalone data dir (its stored KEK; the
 * standalone process must not be running: PGlite has one owner). With a
 * propagation delay the running service activates it once due.
 * `tessera keys list`: kid, owner, alg and status of every key.
 */
export function createKeysCommand(io: KeysCommandIo = {}): CliCommand {
  const out = io.out ?? ((line: string) => process.stdout.write(line + '\n'));
  const err = io.err ?? ((text: string) => process.stderr.write(text));
  return {
    name: 'keys',
    summary:
      'signing keys: `rotate [--service token|introspection]` publishes the next key (DATABASE_URL + TESSERA_KEK, else the data dir), `list`',
    async run(args: string[]): Promise<number> {
      const parsed = parse(args);
      if (!parsed) {
        err(USAGE);
        return 2;
      }
      const { sub, service } = parsed;
      const config = loadConfig('cli', io.env);
      const url = config.databaseUrl?.reveal();
      if (url && !config.kek) throw new ConfigError('TESSERA_KEK', 'is required by `tessera keys` with DATABASE_URL');
      if (!url && config.dataDir === MEMORY_DATA_DIR) {
        throw new ConfigError('TESSERA_DATA_DIR', 'is `memory`: there are no keys to manage');
      }
      const kek = config.kek ?? loadStoredKek(config.dataDir);
      const db: Database = url
        ? new PgDatabase({ connectionString: url, applicationName: 'tessera-keys', max: 2 })
        : await PgliteDatabase.open(pgliteLocation(config.dataDir));
      try {
        const store = new SqlEventStore(db);
        // Only to bring the service's key read model up to date; the service's runner shares its checkpoint.
        const runner = new ProjectionRunner({ db, store, projections: [signingKeysProjection(service)] });
        const keys = new SigningKeys({
          owner: service,
          schema: service,
          db,
          store,
          kek: new KeyEncryptionKey(kek.reveal()),
          settings: defaultSigningKeySettings(url ? 'distributed' : 'standalone'),
          catchUp: () => runner.catchUp(),
        });
        if (sub === 'rotate') {
          const r = await keys.rotate();
          out(`created and published signing key ${r.kid} of the ${service} service`);
          out(r.activated ? 'it signs from now on' : `the ${service} service activates it after ${r.activateAfter}`);
        } else {
          await runner.catchUp();
          // The token service's read model folds every owner's keys: what /jwks publishes.
          for (const k of await keys.keys()) {
            out(
              `${k.kid}  ${k.owner}  ${k.alg}  ${k.status}  created ${k.createdAt}${k.activatedAt ? `  activated ${k.activatedAt}` : ''}`,
            );
          }
        }
        return 0;
      } finally {
        await db.close();
      }
    },
  };
}

/** `tessera keys` on the process's environment and stdio. */
export const command: CliCommand = createKeysCommand();
