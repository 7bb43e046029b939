import type { Sql } from '@tessera/event-store';
import type { SigningKeyState } from './signing-key.decider';
import { signingKeysProjection } from './signing-keys.projection';

const TABLE = `"${signingKeysProjection.schema}"."${signingKeysProjection.name}"`;

/** Reads the `token.signing_keys_public` read model: what /jwks publishes and which key signs. */
export class SigningKeyDirectory {
  constructor(private readonly db: Sql) {}

  /** Every key the read model knows, oldest first. */
  async all(): Promise<SigningKeyState[]> {
    try {
      const rows = await this.db.query<{ state: SigningKeyState }>(`SELECT state FROM ${TABLE}`);
      return rows.map((r) => r.state).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    } catch (err) {
      // 42P01: the runner has not created the table yet: no key known.
      if ((err as { code?: string }).code === '42P01') return [];
      throw err;
    }
  }
}

/** The key that signs now: of the activated, non-retired keys, the one activated last. */
export function currentKey(keys: readonly SigningKeyState[]): SigningKeyState | undefined {
  return keys
    .filter((k) => k.status === 'active')
    .sort((a, b) => (a.activatedAt ?? '').localeCompare(b.activatedAt ?? '') || a.kid.localeCompare(b.kid))
    .at(-1);
}

/** The keys /jwks publishes: every key not retired, including those not yet signing (DESIGN §5). */
export function publishedKeys(keys: readonly SigningKeyState[]): SigningKeyState[] {
  return keys.filter((k) => k.status !== 'retired');
}
