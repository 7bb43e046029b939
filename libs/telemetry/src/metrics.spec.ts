import { createMetricsRegistry } from './metrics';
import { HTTP_DURATION_METRIC, registerHttpMetrics, type FastifyLike } from './http-metrics.hook';

describe('metrics', () => {
  it('has process metrics and the service label', async () => {
    const text = await createMetricsRegistry('token').metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="token"\} /m);
  });

  it('labels request durations by route pattern, not raw URL', async () => {
    const registry = createMetricsRegistry('token');
    let hook: Parameters<FastifyLike['addHook']>[1] | undefined;
    registerHttpMetrics({ addHook: (_name, h) => (hook = h) }, registry);
    const done = jest.fn();
    hook!({ method: 'GET', routeOptions: { url: '/clients/:id' } }, { statusCode: 200, elapsedTime: 12 }, done);
    hook!({ method: 'GET', routeOptions: { url: '/clients/:id' } }, { statusCode: 200, elapsedTime: 4 }, done);
    hook!({ method: 'GET' }, { statusCode: 404, elapsedTime: 1 }, done);
    expect(done).toHaveBeenCalledTimes(3);
    const text = await registry.metrics();
    expect(text).toContain(
      `${HTTP_DURATION_METRIC}_count{service="token",method="GET",route="/clients/:id",status_code="200"} 2`,
    );
    expect(text).toContain(
      `${HTTP_DURATION_METRIC}_sum{service="token",method="GET",route="/clients/:id",status_code="200"} 0.016`,
    );
    expect(text).toContain('route="unmatched",status_code="404"');
  });
});
