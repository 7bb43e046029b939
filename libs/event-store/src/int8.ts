/**
 * Turns a PostgreSQL bigint (pg: decimal string; PGlite: number or bigint)
 * into a JS number, refusing values a number cannot hold exactly.
 */
export function toSafeInteger(value: unknown, what = 'value'): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new TypeError(`${what}: expected a safe integer, got ${String(value)}`);
  }
  if (typeof value === 'bigint' && BigInt(n) !== value) {
    throw new TypeError(`${what}: ${value} is beyond Number.MAX_SAFE_INTEGER`);
  }
  return n;
}

/**
 * The `pg` type parser for int8 used by PgDatabase: a number when it is exact,
 * a bigint otherwise — what PGlite returns, so both adapters agree.
 */
export function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}
