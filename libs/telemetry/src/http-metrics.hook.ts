import { Histogram, type Registry } from 'prom-client';

/** The slice of a Fastify instance the hook needs (keeps this lib free of a fastify import). */
export interface FastifyLike {
  addHook(
    name: 'onResponse',
    hook: (
      request: { method: string; routeOptions?: { url?: string } },
      reply: { statusCode: number; elapsedTime: number },
      done: () => void,
    ) => void,
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
  // One labelled child per method, route pattern and status (a bounded set): no label hashing per
  // request. A callback hook, not an async one: no promise per request.
  const children = new Map<string, { observe(value: number): void }>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = histogram.labels({ method: request.method, route, status_code: String(reply.statusCode) });
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
  return histogram;
}
