import { IllegalStateError } from '@tessera/event-store';
import { signingKeyStream } from '@tessera/contracts';
import type { Database, EventStore } from '@tessera/event-store';
import {
  generateSigningKey,
  importSigningKey,
  type KeyEncryptionKey,
  type SigningAlgorithm,
  type SigningKeyHandle,
} from '@tessera/keys';
import type { Logger } from '@tessera/telemetry';
import type { CommandMeta } from '../tokens/command-meta';
import { currentKey, publishedKeys, SigningKeyDirectory } from './signing-key.directory';
import {
  decideSigningKey,
  evolveSigningKey,
  type SigningKeyCommand,
  type SigningKeyState,
} from './signing-key.decider';
import type { SigningKeySettings } from './signing-key.settings';
import { SigningKeyVault } from './signing-key.vault';

/** Options of SigningKeys. */
export interface SigningKeysOptions {
  db: Database;
  store: EventStore;
  kek: KeyEncryptionKey;
  settings: SigningKeySettings;
  /** Brings the read model behind /jwks up to the log head (the projection runner's catchUp). */
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
const ACTOR = 'service:token';

/**
 * The token service's signing keys (DESIGN §5): a key is created (public JWK in
 * the log, private JWK sealed in `token.signing_keys`, one transaction),
 * published in /jwks, activated once the read model behind /jwks shows it and
 * its propagation delay passed, and retired once every token it signed expired.
 */
export class SigningKeys {
  private readonly directory: SigningKeyDirectory;
  private readonly vault: SigningKeyVault;
  private readonly now: () => Date;
  private readonly imported = new Map<string, Promise<SigningKeyHandle>>();
  private cached?: { at: number; key: ActiveSigningKey };

  constructor(private readonly opts: SigningKeysOptions) {
    this.directory = new SigningKeyDirectory(opts.db);
    this.vault = new SigningKeyVault(opts.kek);
    this.now = opts.now ?? (() => new Date());
  }

  /** Every key the read model knows (public facts only). */
  keys(): Promise<SigningKeyState[]> {
    return this.directory.all();
  }

  /** The keys /jwks publishes. */
  async published(): Promise<SigningKeyState[]> {
    return publishedKeys(await this.directory.all());
  }

  /** At start: makes sure a key signs; the first key is published, then activated at once. */
  async ensureKey(): Promise<string> {
    await this.opts.catchUp();
    const keys = await this.directory.all();
    const active = currentKey(keys);
    if (active) return active.kid;
    const pending = keys.filter((k) => k.status === 'created').at(-1);
    const kid = pending?.kid ?? (await this.create(0)).kid;
    await this.activate(kid);
    this.opts.logger?.info({ kid }, 'signing key activated');
    return kid;
  }

  /** Creates and publishes the next key; activates it now when the propagation delay is 0 (else `tick` does). */
  async rotate(): Promise<RotationResult> {
    const { kid, activateAfter } = await this.create(this.opts.settings.publishDelayMs);
    // Rotation returns once /jwks shows the new key, whether or not it signs yet.
    await this.waitUntilPublished(kid);
    let activated = false;
    if (Date.parse(activateAfter) <= this.now().getTime()) {
      await this.activate(kid);
      activated = true;
    }
    this.opts.logger?.info({ kid, activateAfter, activated }, 'signing key rotated');
    return { kid, activateAfter, activated };
  }

  /**
   * The schedule's step: activates a published key whose delay passed, retires
   * superseded keys once the longest token they signed has expired, and
   * rotates when the active key is older than the rotation interval.
   */
  async tick(): Promise<void> {
    await this.opts.catchUp();
    const now = this.now().getTime();
    let keys = await this.directory.all();
    let active = currentKey(keys);
    const pending = keys.filter((k) => k.status === 'created' && (!active || k.createdAt > active.createdAt));
    const due = pending.filter((k) => Date.parse(k.activateAfter) <= now).at(-1);
    if (due) {
      await this.activate(due.kid);
      keys = await this.directory.all();
      active = currentKey(keys);
    }
    if (!active) return;
    if (await this.retireSuperseded(keys, active, now)) await this.opts.catchUp();
    const age = now - Date.parse(active.activatedAt ?? active.createdAt);
    if (age >= this.opts.settings.rotationIntervalMs && pending.length === 0) await this.rotate();
  }

  /** The active key with its private half, for TokenSigner (cached briefly; other instances' activations show within seconds). */
  async current(): Promise<ActiveSigningKey> {
    const at = Date.now();
    if (this.cached && at - this.cached.at < CURRENT_TTL_MS) return this.cached.key;
    const state = currentKey(await this.directory.all());
    if (!state) throw new IllegalStateError('no active signing key');
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

  private async create(publishDelayMs: number): Promise<{ kid: string; activateAfter: string }> {
    const generated = await generateSigningKey(this.opts.settings.algorithm as SigningAlgorithm);
    const events = decideSigningKey(
      null,
      {
        type: 'CreateSigningKey',
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
    await this.execute(kid, { type: 'ActivateSigningKey' });
    await this.opts.catchUp();
    this.cached = undefined;
  }

  /** Returns whether it retired any key. */
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
          await this.execute(k.kid, { type: 'RetireSigningKey' });
          retired = true;
        }
        continue;
      }
      // Superseded when the next key was activated; tokens it signed live at most `lifetime` after that.
      const supersededAt = activations.find((t) => t > Date.parse(k.activatedAt!)) ?? now;
      if (supersededAt + lifetime <= now) {
        await this.execute(k.kid, { type: 'RetireSigningKey' });
        this.opts.logger?.info({ kid: k.kid }, 'signing key retired');
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

  private meta(): CommandMeta {
    return { now: this.now(), actor: ACTOR };
  }
}
