import { signingKeyStream } from '@tessera/contracts';
import { type Database, type EventStore, IllegalStateError } from '@tessera/event-store';
import type { Logger } from '@tessera/telemetry';
import type { KeyEncryptionKey } from './key-encryption-key';
import {
  decideSigningKey,
  evolveSigningKey,
  type SigningKeyCommand,
  type SigningKeyCommandMeta,
  type SigningKeyState,
} from './signing-key.decider';
import { currentKey, keysOf, publishedKeys, SigningKeyDirectory } from './signing-key.directory';
import { generateSigningKey, importSigningKey, type SigningAlgorithm, type SigningKeyHandle } from './signing-key-pair';
import type { SigningKeySettings } from './signing-key.settings';
import { SigningKeyVault } from './signing-key.vault';

/** Options of SigningKeys. */
export interface SigningKeysOptions {
  /** The signing service these keys belong to (`token`, `introspection`); recorded on each key. */
  owner: string;
  /** Its private schema: `<schema>.signing_keys` (vault) and `<schema>.signing_keys_public` (read model). */
  schema: string;
  db: Database;
  store: EventStore;
  kek: KeyEncryptionKey;
  settings: SigningKeySettings;
  /** Brings `<schema>.signing_keys_public` up to the log head (the projection runner's catchUp). */
  catchUp: () => Promise<void>;
  logger?: Logger;
  now?: () => Date;
}

/** The key a signer uses now. */
export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  key: SigningKeyHandle;
}

/** What a rotation did. */
export interface RotationResult {
  kid: string;
  activateAfter: string;
  activated: boolean;
}

const CURRENT_TTL_MS = 2000;

/**
 * One signing service's keys (DESIGN §5): a key is created (public JWK and
 * owner in the log, private JWK sealed in `<schema>.signing_keys`, one
 * transaction), published in /jwks, activated once the read model shows it and
 * its propagation delay passed, and retired once every token it signed
 * expired. Activation, retirement, rotation and signing consider only the
 * owner's keys; the read model (and so /jwks) holds every owner's.
 */
export class SigningKeys {
  /** The service these keys belong to. */
  readonly owner: string;
  private readonly directory: SigningKeyDirectory;
  private readonly vault: SigningKeyVault;
  private readonly now: () => Date;
  private readonly imported = new Map<string, Promise<SigningKeyHandle>>();
  private cached?: { at: number; key: ActiveSigningKey };

  constructor(private readonly opts: SigningKeysOptions) {
    this.owner = opts.owner;
    this.directory = new SigningKeyDirectory(opts.db, opts.schema);
    this.vault = new SigningKeyVault(opts.kek, opts.schema);
    this.now = opts.now ?? (() => new Date());
  }

  /** Every key the read model knows, of every owner (public facts only). */
  keys(): Promise<SigningKeyState[]> {
    return this.directory.all();
  }

  /** The keys /jwks publishes: every owner's non-retired keys. */
  async published(): Promise<SigningKeyState[]> {
    return publishedKeys(await this.directory.all());
  }

  /** At start: makes sure one of ours signs; the first key is published, then activated at once. */
  async ensureKey(): Promise<string> {
    await this.opts.catchUp();
    const keys = await this.own();
    const active = currentKey(keys);
    if (active) return active.kid;
    const pending = keys.filter((k) => k.status === 'created').at(-1);
    const kid = pending?.kid ?? (await this.create(0)).kid;
    await this.activate(kid);
    this.opts.logger?.info({ kid, owner: this.owner }, 'signing key activated');
    return kid;
  }

  /** Creates and publishes our next key; activates it now when the propagation delay is 0 (else `tick` does). */
  async rotate(): Promise<RotationResult> {
    const { kid, activateAfter } = await this.create(this.opts.settings.publishDelayMs);
    // Rotation returns once /jwks shows the new key, whether or not it signs yet.
    await this.waitUntilPublished(kid);
    let activated = false;
    if (Date.parse(activateAfter) <= this.now().getTime()) {
      await this.activate(kid);
      activated = true;
    }
    this.opts.logger?.info({ kid, owner: this.owner, activateAfter, activated }, 'signing key rotated');
    return { kid, activateAfter, activated };
  }

  /**
   * The schedule's step: activates one of our published keys whose delay
   * passed, retires our superseded keys once the longest token they signed has
   * expired, and rotates when our active key is older than the rotation interval.
   */
  async tick(): Promise<void> {
    await this.opts.catchUp();
    const now = this.now().getTime();
    let keys = await this.own();
    let active = currentKey(keys);
    const pending = keys.filter((k) => k.status === 'created' && (!active || k.createdAt > active.createdAt));
    const due = pending.filter((k) => Date.parse(k.activateAfter) <= now).at(-1);
    if (due) {
      await this.activate(due.kid);
      keys = await this.own();
      active = currentKey(keys);
    }
    if (!active) return;
    if (await this.retireSuperseded(keys, active, now)) await this.opts.catchUp();
    const age = now - Date.parse(active.activatedAt ?? active.createdAt);
    if (age >= this.opts.settings.rotationIntervalMs && pending.length === 0) await this.rotate();
  }

  /** Our active key with its private half (cached briefly; other instances' activations show within seconds). */
  async current(): Promise<ActiveSigningKey> {
    const at = Date.now();
    if (this.cached && at - this.cached.at < CURRENT_TTL_MS) return this.cached.key;
    const state = currentKey(await this.own());
    if (!state) throw new IllegalStateError(`no active signing key of ${this.owner}`);
    let handle = this.imported.get(state.kid);
    if (!handle) {
      const alg = state.alg as SigningAlgorithm;
      handle = this.vault.load(this.opts.db, state.kid).then((jwk) => importSigningKey(jwk, alg));
      handle.catch(() => this.imported.delete(state.kid));
      this.imported.set(state.kid, handle);
    }
    const key: ActiveSigningKey = { kid: state.kid, alg: state.alg as SigningAlgorithm, key: await handle };
    this.cached = { at, key };
    return key;
  }

  private async own(): Promise<SigningKeyState[]> {
    return keysOf(await this.directory.all(), this.owner);
  }

  private async create(publishDelayMs: number): Promise<{ kid: string; activateAfter: string }> {
    const generated = await generateSigningKey(this.opts.settings.algorithm);
    const events = decideSigningKey(
      null,
      {
        type: 'CreateSigningKey',
        owner: this.owner,
        kid: generated.kid,
        alg: generated.alg,
        publicJwk: generated.publicJwk,
        publishDelayMs,
      },
      this.meta(),
    );
    // The sealed private half and the public event commit together, or neither does.
    await this.opts.db.transaction(async (tx) => {
      await this.vault.store(tx, generated.kid, generated.alg, generated.privateJwk);
      await this.opts.store.append(signingKeyStream(generated.kid), 0, events, tx);
    });
    return { kid: generated.kid, activateAfter: String(events[0].data.activateAfter) };
  }

  /** DESIGN §5: never activate a key /jwks does not show yet. */
  private async activate(kid: string): Promise<void> {
    await this.waitUntilPublished(kid);
    await this.execute(kid, { type: 'ActivateSigningKey', owner: this.owner });
    await this.opts.catchUp();
    this.cached = undefined;
  }

  /** `keys` are ours only; returns whether it retired any. */
  private async retireSuperseded(keys: SigningKeyState[], active: SigningKeyState, now: number): Promise<boolean> {
    let retired = false;
    const lifetime = this.opts.settings.maxTokenLifetimeMs;
    const activations = keys
      .filter((k) => k.activatedAt)
      .map((k) => Date.parse(k.activatedAt!))
      .sort((a, b) => a - b);
    for (const k of keys) {
      if (k.kid === active.kid || k.status === 'retired') continue;
      if (k.status === 'created') {
        // Published but overtaken before it ever signed: nothing to wait for.
        if (k.createdAt < active.createdAt) {
          await this.execute(k.kid, { type: 'RetireSigningKey', owner: this.owner });
          retired = true;
        }
        continue;
      }
      // Superseded when our next key was activated; tokens it signed live at most `lifetime` after that.
      const supersededAt = activations.find((t) => t > Date.parse(k.activatedAt!)) ?? now;
      if (supersededAt + lifetime <= now) {
        await this.execute(k.kid, { type: 'RetireSigningKey', owner: this.owner });
        this.opts.logger?.info({ kid: k.kid, owner: this.owner }, 'signing key retired');
        retired = true;
      }
    }
    return retired;
  }

  private async execute(kid: string, command: SigningKeyCommand): Promise<void> {
    const stream = signingKeyStream(kid);
    const history = await this.opts.store.readStream(stream);
    const state = history.reduce<SigningKeyState | null>(evolveSigningKey, null);
    const events = decideSigningKey(state, command, this.meta());
    if (events.length > 0) await this.opts.store.append(stream, history.length, events);
  }

  private async waitUntilPublished(kid: string): Promise<void> {
    const deadline = Date.now() + this.opts.settings.visibilityTimeoutMs;
    for (;;) {
      await this.opts.catchUp();
      if ((await this.directory.all()).some((k) => k.kid === kid && k.status !== 'retired')) return;
      if (Date.now() > deadline) throw new IllegalStateError(`signing key ${kid} did not appear in /jwks in time`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private meta(): SigningKeyCommandMeta {
    return { now: this.now(), actor: `service:${this.owner}` };
  }
}
