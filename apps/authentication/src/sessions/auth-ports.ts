/** Injection token of the clock the authentication features read (`() => Date`); tests replace it. */
export const AUTH_CLOCK = Symbol('tessera:authentication-clock');
/** Injection token of `(ms) => Promise<void>`: the progressive delay of failed sign-ins; tests replace it. */
export const AUTH_SLEEP = Symbol('tessera:authentication-sleep');

/** The real delay. */
export const realSleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
