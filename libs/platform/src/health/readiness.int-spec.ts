import { PgDatabase, runMigrations } from '@tessera/event-store';
import { createLogger } from '@tessera/telemetry';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '../../../../test/support/infra';
import { loadConfig } from '../config';
import { PlatformRuntime } from '../runtime/platform-runtime';
import { HealthController } from './health.controller';
import type { ReadinessReport } from './readiness';

jest.setTimeout(60_000);

// DESIGN §3: Kafka down delays delivery, never fails an append, so it must not make
// /health/ready fail (every replica unready = total outage). Real PostgreSQL, a real
// broker, and a broker address where nothing listens.

async function ready(runtime: PlatformRuntime): Promise<{ code: number; report: ReadinessReport }> {
  let code = 200;
  const reply = { status: (c: number) => ((code = c), reply) } as unknown as FastifyReply;
  const report = await new HealthController(runtime).ready(reply);
  return { code, report };
}

describe('/health/ready and the bus (distributed mode)', () => {
  let database: TestDatabase;
  const runtimes: PlatformRuntime[] = [];

  const runtime = async (brokers: string): Promise<PlatformRuntime> => {
    const config = loadConfig('token', {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      TESSERA_KEK: Buffer.alloc(32, 3).toString('base64'),
      TESSERA_ADMIN_TOKEN: 'readiness-admin-token-0123',
      TESSERA_LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ service: 'token', level: 'silent' });
    const rt = await PlatformRuntime.create({ config, logger, metrics: new Registry() });
    runtimes.push(rt);
    await rt.start();
    return rt;
  };

  beforeAll(async () => {
    database = await createTestDatabase('tessera_int_readiness');
    const pg = new PgDatabase({ connectionString: database.url });
    try {
      await runMigrations(pg, {});
    } finally {
      await pg.close();
    }
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.stop();
    await database?.drop();
  });

  it('is ready with every check ok when Kafka answers', async () => {
    const { code, report } = await ready(await runtime(kafkaBrokers.join(',')));
    expect(code).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.checks.bus).toEqual({ status: 'ok' });
    expect(report.checks.database).toEqual({ status: 'ok' });
  });

  it('stays ready (200) with the bus reported degraded when Kafka is unreachable', async () => {
    // Port 1 on loopback: connection refused, as when every broker is down.
    const { code, report } = await ready(await runtime('127.0.0.1:1'));
    expect(code).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.checks.database).toEqual({ status: 'ok' });
    expect(report.checks.bus.status).toBe('degraded');
    expect(report.checks.bus.detail).toEqual(expect.any(String));
  });

  it('still fails readiness for a real failure while Kafka is down', async () => {
    const rt = await runtime('127.0.0.1:1');
    await rt.db.query('DROP TABLE eventlog.schema_migrations');
    const { code, report } = await ready(rt);
    expect(code).toBe(503);
    expect(report.status).toBe('unavailable');
    expect(report.checks.database.status).toBe('failing');
    expect(report.checks.bus.status).toBe('degraded');
  });
});
