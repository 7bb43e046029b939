/** A configuration variable is missing or invalid; the message names it and never echoes a secret (DESIGN §9). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}
