/**
 * The pause of a polling loop that a wake-up (a NOTIFY, a bus message) cuts
 * short. A wake-up while the loop is busy is kept: the next sleep returns at
 * once, so no wake-up is lost between two polls.
 */
export class WakeSignal {
  private wakeUp?: () => void;
  private requested = false;

  /** Ends the current sleep, or the next one when none is running. */
  wake(): void {
    this.requested = true;
    this.wakeUp?.();
  }

  /**
   * Waits `ms`, less when woken. With `consume: false` (a backoff) a wake-up
   * kept from before does not skip the wait, and one during it stays kept.
   */
  sleep(ms: number, consume = true): Promise<void> {
    if (consume && this.requested) {
      this.requested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === finish) this.wakeUp = undefined;
        if (consume) this.requested = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
    });
  }
}
