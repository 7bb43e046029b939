import { LEGACY_SIGNING_KEY_OWNER } from '@tessera/contracts';
import type { Sql } from '@tessera/event-store';
import type { SigningKeyState } from './signing-key.decider';
import { signingKeysProjection } from './signing-keys.projection';

/** Reads `<schema>.signing_keys_public`: what /jwks publishes and which key signs. */
export class SigningKeyDirectory {
  private readonly table: string;

  constructor(
    private readonly db: Sql,
    schema: string,
  ) {
    const p = signingKeysProjection(schema);
    this.table = `"${p.schema}"."${p.name}"`;
  }

  /** Every key the read model knows, of every owner, oldest first. */
  async all(): Promise<SigningKeyState[]> {
    try {
      const rows = await this.db.query<{ state: SigningKeyState }>(`SELECT state FROM ${this.table}`);
      return rows.map((r) => r.state).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    } catch (err) {
      // 42P01: the runner has not created the table yet: no key known.
      if ((err as { code?: string }).code === '42P01') return [];
      throw err;
    }
  }
}

/** The keys of one owner (DESIGN §5: a service signs, activates and retires only its own keys). */
export function keysOf(keys: readonly SigningKeyState[], owner: string): SigningKeyState[] {
  // A row folded before owners were recorded (projection version 1) is the token service's.
  return keys.filter((k) => (k.owner ?? LEGACY_SIGNING_KEY_OWNER) === owner);
}

/** The key that signs now: of the activated, non-retired keys, the one activated last. */
export function currentKey(keys: readonly SigningKeyState[]): SigningKeyState | undefined {
  return keys
    .filter((k) => k.status === 'active')
    .sort((a, b) => (a.activatedAt ?? '').localeCompare(b.activatedAt ?? '') || a.kid.localeCompare(b.kid))
    .at(-1);
}

/** The keys /jwks publishes: every key not retired, of every owner, including those not yet signing (DESIGN §5). */
export function publishedKeys(keys: readonly SigningKeyState[]): SigningKeyState[] {
  return keys.filter((k) => k.status !== 'retired');
}
