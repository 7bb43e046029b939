import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { createLogger } from './logger';
import { NestLoggerAdapter } from './nest-logger.adapter';
import { installTraceContext, startTracing } from './tracing';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level label and msg', () => {
    const out = capture();
    createLogger({ service: 'token', destination: out.stream }).info({ port: 4002 }, 'listening');
    expect(out.lines()[0]).toMatchObject({ service: 'token', level: 'info', msg: 'listening', port: 4002 });
  });

  it('redacts secrets at the top level and nested, including request headers', () => {
    const out = capture();
    const logger = createLogger({ service: 'token', destination: out.stream });
    const secrets = {
      password: 'pw-top-SECRET1',
      token: 'tok-SECRET2',
      access_token: 'at-SECRET3',
      refresh_token: 'rt-SECRET4',
      client_secret: 'cs-SECRET5',
      kek: 'kek-SECRET6',
      adminToken: 'admin-SECRET7',
    };
    logger.info({ ...secrets, user: 'alice' }, 'top level');
    logger.info({ body: { password: 'pw-nested-SECRET8', grant: { refresh_token: 'rt-deep-SECRET9' } } }, 'nested');
    logger.info(
      { req: { headers: { authorization: 'Bearer SECRET10', cookie: 'sid=SECRET11', 'set-cookie': 'SECRET12' } } },
      'headers',
    );
    const text = out.text();
    expect(text).not.toMatch(/SECRET\d+/);
    expect(text).toContain('[redacted]');
    expect(out.lines()[0].user).toBe('alice');
  });

  it('redacts through the Nest adapter too', () => {
    const out = capture();
    new NestLoggerAdapter(createLogger({ service: 'x', destination: out.stream })).log(
      { client_secret: 'cs-SECRET13' },
      'Ctx',
    );
    expect(out.text()).not.toContain('SECRET13');
    expect(out.lines()[0]).toMatchObject({ context: 'Ctx', client_secret: '[redacted]' });
  });

  it('demotes Nest framework chatter to debug and keeps errors with their stack', () => {
    const out = capture();
    const adapter = new NestLoggerAdapter(createLogger({ service: 'x', level: 'debug', destination: out.stream }));
    adapter.log('Mapped {/health, GET} route', 'RouterExplorer');
    adapter.error('boom', 'Error: boom\n    at somewhere', 'ExceptionsHandler');
    const [mapped, error] = out.lines();
    expect(mapped).toMatchObject({ level: 'debug', context: 'RouterExplorer' });
    expect(error).toMatchObject({ level: 'error', msg: 'boom', context: 'ExceptionsHandler' });
    expect(String(error.stack)).toContain('at somewhere');
  });

  it('carries trace_id and span_id of the active span, secrets still redacted', () => {
    installTraceContext();
    const { tracer } = startTracing({
      service: 'token',
      global: false,
      spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
    });
    const out = capture();
    const logger = createLogger({ service: 'token', destination: out.stream });
    logger.info('outside');
    tracer.startActiveSpan('request', (span) => {
      logger.info({ client_secret: 'cs-SECRET14' }, 'inside');
      const { traceId, spanId } = span.spanContext();
      const [outside, inside] = out.lines();
      expect(outside.trace_id).toBeUndefined();
      expect(inside).toMatchObject({ trace_id: traceId, span_id: spanId, client_secret: '[redacted]' });
      span.end();
    });
    expect(out.text()).not.toContain('SECRET14');
  });
});
