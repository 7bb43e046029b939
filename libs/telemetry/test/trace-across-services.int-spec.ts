import { SpanKind, type Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { Database } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';
import { installTraceContext, startTracing, type Tracing } from '@tessera/telemetry';
import { AuditModule } from '../../../apps/audit/src/audit.module';
import { auditMigrations } from '../../../apps/audit/src/migrations';
import { auditProjections } from '../../../apps/audit/src/projections';
import { introspectionService } from '../../../apps/introspection/test/introspection-test-app';
import { tokenService } from '../../../apps/token/test/token-test-app';
import { type ServiceTestApp, startServiceTestApp } from '../../../test/support/service-test-app';

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Issue 7 §2: one trace from an HTTP request through the log append, the
 * relay, Kafka and the consuming services. Distributed mode: token,
 * introspection and audit are three Nest apps (three tracer providers, each
 * with its own `service.name`) on one PostgreSQL log and Kafka, in one jest
 * process; spans land in one in-memory exporter.
 */
describe('telemetry across services (distributed)', () => {
  const exporter = new InMemorySpanExporter();
  const tracings = new Map<string, Tracing>();
  const tracerFor = (kind: string): Tracer => {
    let t = tracings.get(kind);
    if (!t) {
      t = startTracing({ service: kind, global: false, spanProcessors: [new SimpleSpanProcessor(exporter)] });
      tracings.set(kind, t);
    }
    return t.tracer;
  };
  let t: ServiceTestApp;
  let client: { id: string; secret: string };

  const serviceOf = (s: ReadableSpan) => String(s.resource.attributes['service.name']);
  const inTrace = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

  beforeAll(async () => {
    installTraceContext();
    t = await startServiceTestApp({
      mode: 'distributed',
      name: 'int_telemetry',
      services: [
        tokenService,
        introspectionService,
        { kind: 'audit', modules: [AuditModule], projections: auditProjections, migrations: auditMigrations },
      ],
      tracerFor,
    });
    const [token] = t.clients;
    const res = await token.json(
      'POST',
      '/oauth/register',
      { grant_types: ['client_credentials'], scope: 'read' },
      { authorization: `Bearer ${t.adminToken}` },
    );
    expect(res.status).toBe(201);
    client = { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  });
  afterAll(async () => {
    await t?.close();
    for (const tracing of tracings.values()) await tracing.shutdown();
  });

  it('one trace: token HTTP request → log append → relay → introspection read model and audit trail', async () => {
    const [token, , audit] = t.clients;
    const res = await token.form('/oauth/token', { grant_type: 'client_credentials' }, basic(client.id, client.secret));
    expect(res.status).toBe(200);

    const server = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'POST /oauth/token' && s.kind === SpanKind.SERVER);
    expect(server).toBeDefined();
    expect(serviceOf(server!)).toBe('token');
    expect(server!.attributes['http.response.status_code']).toBe(200);
    const traceId = server!.spanContext().traceId;

    // The append made while handling the request carries its traceparent (DESIGN §2).
    const issued = (await t.loggedEvents()).filter((e) => e.type === 'access-token.issued').at(-1);
    expect(issued?.metadata.traceparent).toBe(`00-${traceId}-${server!.spanContext().spanId}-01`);

    const spans = await until('relay, introspection and audit spans in the trace', () => {
      const found = inTrace(traceId);
      const publish = found.find((s) => s.kind === SpanKind.PRODUCER && s.name.endsWith('identity-events publish'));
      const projection = found.find((s) => serviceOf(s) === 'introspection' && s.name.startsWith('projection '));
      const recorded = found.find((s) => serviceOf(s) === 'audit' && s.name === 'audit record');
      return publish && projection && recorded ? found : undefined;
    });
    // Every downstream span is a child of the request's span (W3C traceparent carried by the event).
    for (const s of spans.filter((x) => x !== server)) {
      expect(s.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    }
    expect(new Set(spans.map(serviceOf)).size).toBeGreaterThanOrEqual(3);

    // The audit record names the same trace.
    const db = audit.get<Database>(DATABASE);
    const records = await until('the audit record', async () => {
      const rows = await db.query<{ record: Record<string, unknown> }>(
        "SELECT record FROM audit.records WHERE record->>'traceId' = $1",
        [traceId],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(records.length).toBeGreaterThanOrEqual(1);
  });

  it('continues the trace over Kafka: revocation → iam.revocations → introspection listener', async () => {
    const [token] = t.clients;
    const issued = await token.form(
      '/oauth/token',
      { grant_type: 'client_credentials' },
      basic(client.id, client.secret),
    );
    const revoke = await token.form(
      '/oauth/revoke',
      { token: String(issued.json().access_token) },
      basic(client.id, client.secret),
    );
    expect(revoke.status).toBe(200);
    const server = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'POST /oauth/revoke')
      .at(-1)!;
    const traceId = server.spanContext().traceId;
    const consumed = await until('the revocation consumer span', () =>
      inTrace(traceId).find(
        (s) =>
          s.kind === SpanKind.CONSUMER && serviceOf(s) === 'introspection' && s.name.endsWith('revocations process'),
      ),
    );
    expect(consumed.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it('serves tokens issued by grant and introspection cache lookups on /metrics', async () => {
    const [token, introspection] = t.clients;
    const res = await token.form('/oauth/token', { grant_type: 'client_credentials' }, basic(client.id, client.secret));
    const access = String(res.json().access_token);
    for (let i = 0; i < 2; i++) {
      const answer = await introspection.form('/oauth/introspect', { token: access }, basic(client.id, client.secret));
      expect(answer.json().active).toBe(true);
    }
    const tokenMetrics = (await token.request({ method: 'GET', url: '/metrics' })).body;
    expect(tokenMetrics).toMatch(/^tessera_tokens_issued_total\{[^}]*grant="client_credentials"[^}]*\} [1-9]/m);
    const introspectionMetrics = (await introspection.request({ method: 'GET', url: '/metrics' })).body;
    expect(introspectionMetrics).toMatch(/^tessera_introspection_cache_total\{[^}]*result="miss"[^}]*\} [1-9]/m);
    expect(introspectionMetrics).toMatch(/^tessera_introspection_cache_total\{[^}]*result="hit"[^}]*\} [1-9]/m);
  });
});
