import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { SIGNING_KEY_SETTINGS, type SigningKeySettings } from './signing-key.settings';
import { SigningKeys } from './signing-keys.service';

/**
 * Makes sure a key signs before the service listens, then runs the rotation
 * schedule (DESIGN §5). Failures are logged and retried on the next tick, so a
 * service started before `tessera migrate` recovers without crash loops.
 */
@Injectable()
export class KeyRotationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private ready = false;

  constructor(
    private readonly keys: SigningKeys,
    @Inject(SIGNING_KEY_SETTINGS) private readonly settings: SigningKeySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.step();
    this.timer = setInterval(() => void this.step(), this.settings.tickIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
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
        this.logger.error({ err }, 'signing key schedule failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
