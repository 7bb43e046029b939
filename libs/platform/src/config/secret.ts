import { inspect } from 'node:util';

/**
 * A secret held in config: it prints, serialises and inspects as `[redacted]`
 * so that logging a config object leaks nothing (DESIGN §2).
 */
export class Secret<T> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  /** The secret itself; call it only where it is used. */
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
