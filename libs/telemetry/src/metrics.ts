import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A Prometheus registry for one process: default process/Node metrics and a
 * `service` label on every series (DESIGN §1: every service has /metrics).
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
