import { Counter, Gauge, type Registry } from 'prom-client';

/** The relay's Prometheus series, registered once per registry. */
export interface RelayMetrics {
  published: Counter<'relay'>;
  lag: Gauge<'relay'>;
}

/**
 * Registers (or reuses) `tessera_relay_published_total` and `tessera_relay_lag_events`.
 * `lagOf` is asked on every scrape, so the lag costs nothing between scrapes.
 */
export function relayMetrics(registry: Registry, relay: string, lagOf: () => Promise<number>): RelayMetrics {
  const published =
    (registry.getSingleMetric('tessera_relay_published_total') as Counter<'relay'> | undefined) ??
    new Counter({
      name: 'tessera_relay_published_total',
      help: 'Log events the relay published to the bus (acknowledged by the broker).',
      labelNames: ['relay'],
      registers: [registry],
    });
  const lag =
    (registry.getSingleMetric('tessera_relay_lag_events') as Gauge<'relay'> | undefined) ??
    new Gauge({
      name: 'tessera_relay_lag_events',
      help: 'Log events not yet published by the relay.',
      labelNames: ['relay'],
      registers: [registry],
      async collect() {
        try {
          this.set({ relay }, await lagOf());
        } catch {
          // The database being unreachable during a scrape must not fail the scrape.
        }
      },
    });
  return { published, lag };
}
