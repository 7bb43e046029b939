import { type Database, PgDatabase, PgliteDatabase, SqlEventStore } from '@tessera/event-store';
import { KeyEncryptionKey } from '@tessera/keys';
import { ConfigError, loadConfig, loadStoredKek, MEMORY_DATA_DIR, pgliteLocation } from '@tessera/platform';
import { ProjectionRunner } from '@tessera/projections';
import { defaultSigningKeySettings } from '../../../token/src/keys/signing-key.settings';
import { SigningKeys } from '../../../token/src/keys/signing-keys.service';
import { signingKeysProjection } from '../../../token/src/keys/signing-keys.projection';
import type { CliCommand } from '../cli-command';

const USAGE = 'usage: tessera keys rotate | tessera keys list\n';

/**
 * `tessera keys rotate`: creates and publishes the token service's next signing
 * key (DESIGN §5) on DATABASE_URL (needs TESSERA_KEK) or the standalone data
 * dir (its stored KEK; the standalone process must not be running: PGlite has
 * one owner). With a propagation delay the running service activates it once due.
 * `tessera keys list`: kid, alg and status of every key.
 */
export const command: CliCommand = {
  name: 'keys',
  summary: 'signing keys: `rotate` publishes the next key (DATABASE_URL + TESSERA_KEK, else the data dir), `list`',
  async run(args: string[]): Promise<number> {
    const sub = args[0];
    if (args.length !== 1 || (sub !== 'rotate' && sub !== 'list')) {
      process.stderr.write(USAGE);
      return 2;
    }
    const config = loadConfig('cli');
    const url = config.databaseUrl?.reveal();
    if (url && !config.kek) throw new ConfigError('TESSERA_KEK', 'is required by `tessera keys` with DATABASE_URL');
    if (!url && config.dataDir === MEMORY_DATA_DIR) {
      throw new ConfigError('TESSERA_DATA_DIR', 'is `memory`: there are no keys to manage');
    }
    const kek = config.kek ?? loadStoredKek(config.dataDir);
    const db: Database = url
      ? new PgDatabase({ connectionString: url, applicationName: 'tessera-keys', max: 2 })
      : await PgliteDatabase.open(pgliteLocation(config.dataDir));
    const out = (line: string) => process.stdout.write(line + '\n');
    try {
      const store = new SqlEventStore(db);
      // Only to bring /jwks's read model up to date; the services' runners share its checkpoint.
      const runner = new ProjectionRunner({ db, store, projections: [signingKeysProjection] });
      const keys = new SigningKeys({
        db,
        store,
        kek: new KeyEncryptionKey(kek.reveal()),
        settings: defaultSigningKeySettings(url ? 'distributed' : 'standalone'),
        catchUp: () => runner.catchUp(),
      });
      if (sub === 'rotate') {
        const r = await keys.rotate();
        out(`created and published signing key ${r.kid}`);
        out(r.activated ? 'it signs from now on' : `the token service activates it after ${r.activateAfter}`);
      } else {
        await runner.catchUp();
        for (const k of await keys.keys()) {
          out(
            `${k.kid}  ${k.alg}  ${k.status}  created ${k.createdAt}${k.activatedAt ? `  activated ${k.activatedAt}` : ''}`,
          );
        }
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
