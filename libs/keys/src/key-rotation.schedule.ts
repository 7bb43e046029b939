import type { Logger } from '@tessera/telemetry';
import type { SigningKeySettings } from './signing-key.settings';
import type { SigningKeys } from './signing-keys.service';

/**
 * Makes sure one of the owner's keys signs before the service listens, then
 * runs the rotation schedule (DESIGN §5). Failures are logged and retried on
 * the next tick, so a service started before `tessera migrate` recovers
 * without crash loops. Each app's keys module starts and stops one.
 */
export class KeyRotationSchedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private ready = false;

  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: SigningKeySettings,
    private readonly logger?: Logger,
  ) {}

  /** Ensures a key (once), then ticks every `tickIntervalMs`. */
  async start(): Promise<void> {
    await this.step();
    this.timer = setInterval(() => void this.step(), this.settings.tickIntervalMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for a running step. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private step(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        if (!this.ready) {
          await this.keys.ensureKey();
          this.ready = true;
        } else {
          await this.keys.tick();
        }
      } catch (err) {
        this.logger?.error({ err, owner: this.keys.owner }, 'signing key schedule failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
