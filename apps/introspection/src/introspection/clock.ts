/** Injection token of the introspection service's clock: milliseconds since the epoch (tests set it). */
export const CLOCK = Symbol('tessera:introspection-clock');

/** Milliseconds since the epoch. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();
