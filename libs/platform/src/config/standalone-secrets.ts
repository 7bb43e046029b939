import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The name of the in-memory data dir: nothing is written to disk. */
export const MEMORY_DATA_DIR = 'memory';

/** A secret read from, or created in, the standalone data dir. */
export interface StoredSecret {
  value: string;
  generated: boolean;
}

/**
 * Reads `<dataDir>/<file>`, or creates it with a fresh value (mode 0600) when
 * missing (DESIGN §9: generated at first start, kept in the data dir). In
 * memory mode the value lives only as long as the process.
 */
export function loadOrCreateSecret(dataDir: string, file: string, generate: () => string): StoredSecret {
  if (dataDir === MEMORY_DATA_DIR) return { value: generate(), generated: true };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, file);
  try {
    // `wx` fails if another process created it first; then we read theirs.
    const value = generate();
    writeFileSync(path, value + '\n', { mode: 0o600, flag: 'wx' });
    return { value, generated: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { value: readFileSync(path, 'utf8').trim(), generated: false };
}

/** A fresh admin token: 256 random bits, recognisable prefix. */
export function generateAdminToken(): string {
  return `tsa_${randomBytes(32).toString('base64url')}`;
}

/** A fresh key-encryption key: base64 of 32 random bytes. */
export function generateKek(): string {
  return randomBytes(32).toString('base64');
}
