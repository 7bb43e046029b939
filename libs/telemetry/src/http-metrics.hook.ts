import { Histogram, type Registry } from 'prom-client';

/** The slice of a Fastify instance the hook needs (keeps this lib free of a fastify import). */
export interface FastifyLike {
  addHook(
    name: 'onResponse',
    hook: (
      request: { method: string; routeOptions?: { url?: string } },
      reply: { statusCode: number; elapsedTime: number },
    ) => Promise<void>,
  ): unknown;
}

/** Name of the HTTP request duration histogram. */
export const HTTP_DURATION_METRIC = 'tessera_http_request_duration_seconds';

/**
 * Observes every response's duration, labelled by the route pattern (never
 * the raw URL: ids and tokens in paths would explode cardinality and leak).
 */
export function registerHttpMetrics(fastify: FastifyLike, registry: Registry): Histogram<string> {
  const histogram = new Histogram({
    name: HTTP_DURATION_METRIC,
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  fastify.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions?.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  return histogram;
}
