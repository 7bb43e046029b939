/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when `value` is one RFC 6749 §3.3 scope token. */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * Splits a space-delimited scope string (RFC 6749 §3.3) into distinct tokens,
 * in order; null when it is malformed (empty token, bad character, not a string).
 */
export function parseScope(value: unknown): string[] | null {
  if (typeof value !== 'string') return null;
  if (value === '') return [];
  const tokens = value.split(' ');
  if (!tokens.every(isScopeToken)) return null;
  return [...new Set(tokens)];
}

/** The canonical scope string of a list of tokens. */
export function formatScope(tokens: readonly string[]): string {
  return tokens.join(' ');
}
