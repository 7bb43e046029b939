import { Counter, type Registry } from 'prom-client';

/** Name of the counter of issued access tokens, by grant type. */
export const TOKENS_ISSUED_METRIC = 'tessera_tokens_issued_total';
/** Name of the counter of introspection hot-cache lookups, by result (`hit`/`miss`; ratio = hit / (hit + miss)). */
export const INTROSPECTION_CACHE_METRIC = 'tessera_introspection_cache_total';

// The standalone process composes several modules on one registry: each counter is registered once.
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** `tessera_tokens_issued_total{grant}`: access tokens issued, by grant type (issue 7 §2). */
export function tokensIssuedCounter(registry: Registry): Counter<'grant'> {
  return counter(registry, TOKENS_ISSUED_METRIC, 'Access tokens issued, by grant type', ['grant']);
}

/** `tessera_introspection_cache_total{result}`: hot-cache lookups of the introspection service (issue 7 §2). */
export function introspectionCacheCounter(registry: Registry): Counter<'result'> {
  return counter(registry, INTROSPECTION_CACHE_METRIC, 'Introspection hot-cache lookups, by result (hit, miss)', [
    'result',
  ]);
}
