import { Counter, type Registry } from 'prom-client';

/** Name of the counter of `/gateway/phantom` answers, by outcome (`minted`, `reused` or the refusal reason). */
export const PHANTOM_DECISIONS_METRIC = 'tessera_gateway_phantom_decisions_total';

/** Injection token of the decisions counter. */
export const PHANTOM_DECISIONS = Symbol('introspection:phantom-decisions');

/** The decisions counter on the process's registry (one per registry, however often asked). */
export function phantomDecisionCounter(registry: Registry): Counter<'outcome'> {
  const existing = registry.getSingleMetric(PHANTOM_DECISIONS_METRIC);
  if (existing) return existing as Counter<'outcome'>;
  return new Counter({
    name: PHANTOM_DECISIONS_METRIC,
    help: 'Phantom token answers to the gateway, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
}
