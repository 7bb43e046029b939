import { Gauge, type Registry } from 'prom-client';

const NAME = 'tessera_projection_lag_events';

/** The `tessera_projection_lag_events{projection}` gauge in `registry`, created once per registry. */
export function projectionLagGauge(registry: Registry): Gauge<'projection'> {
  const existing = registry.getSingleMetric(NAME);
  if (existing) return existing as Gauge<'projection'>;
  return new Gauge({
    name: NAME,
    help: 'Events in the identity log not yet applied to the projection (DESIGN §4).',
    labelNames: ['projection'],
    registers: [registry],
  });
}
