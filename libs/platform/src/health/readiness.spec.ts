import type { ProjectionStatus } from '@tessera/projections';
import { advisory, aggregateReadiness, projectionChecks, runCheck } from './readiness';

const status = (overrides: Partial<ProjectionStatus>): ProjectionStatus => ({
  name: 'clients',
  schema: 'token',
  version: 1,
  cursor: { transactionId: '1', position: 1 },
  lag: 0,
  healthy: true,
  ...overrides,
});

describe('aggregateReadiness', () => {
  it('is ok when every check passed', () => {
    expect(
      aggregateReadiness([
        { name: 'database', ok: true },
        { name: 'bus', ok: true },
      ]),
    ).toEqual({
      status: 'ok',
      checks: { database: { status: 'ok' }, bus: { status: 'ok' } },
    });
  });

  it('is unavailable and names each failing check', () => {
    const report = aggregateReadiness([
      { name: 'database', ok: true },
      { name: 'cache', ok: false, detail: 'unreachable' },
      { name: 'projection:token.clients', ok: false },
    ]);
    expect(report.status).toBe('unavailable');
    expect(report.checks.cache).toEqual({ status: 'failing', detail: 'unreachable' });
    expect(report.checks['projection:token.clients']).toEqual({ status: 'failing', detail: 'failed' });
    expect(report.checks.database).toEqual({ status: 'ok' });
  });

  it('stays ok when only an advisory check (the bus, DESIGN §3) fails, reporting it degraded', () => {
    const report = aggregateReadiness([
      { name: 'database', ok: true },
      ...advisory([{ name: 'bus', ok: false, detail: 'broker unreachable' }]),
    ]);
    expect(report).toEqual({
      status: 'ok',
      checks: { database: { status: 'ok' }, bus: { status: 'degraded', detail: 'broker unreachable' } },
    });
    expect(aggregateReadiness(advisory([{ name: 'bus', ok: true }])).checks.bus).toEqual({ status: 'ok' });
  });

  it('is unavailable when a non-advisory check fails, whatever the advisory ones say', () => {
    const report = aggregateReadiness([
      { name: 'database', ok: false, detail: 'schema not migrated' },
      ...advisory([{ name: 'bus', ok: false, detail: 'broker unreachable' }]),
    ]);
    expect(report.status).toBe('unavailable');
    expect(report.checks.database.status).toBe('failing');
    expect(report.checks.bus.status).toBe('degraded');
  });
});

describe('projectionChecks', () => {
  it('fails an unhealthy projection with its error and one that lags too far', () => {
    const checks = projectionChecks(
      [
        status({}),
        status({ name: 'keys', healthy: false, error: 'poison event 42' }),
        status({ name: 'scopes', lag: 11 }),
        status({ name: 'codes', lag: 10 }),
      ],
      10,
    );
    expect(checks).toEqual([
      { name: 'projection:token.clients', ok: true },
      { name: 'projection:token.keys', ok: false, detail: 'unhealthy: poison event 42' },
      { name: 'projection:token.scopes', ok: false, detail: 'lag 11 events exceeds 10' },
      { name: 'projection:token.codes', ok: true },
    ]);
  });
});

describe('runCheck', () => {
  it('turns a throw into a failed check with the first line of the message only', async () => {
    const result = await runCheck(
      'database',
      async () => {
        throw new Error('connect ECONNREFUSED\n    at internal stack');
      },
      1000,
    );
    expect(result).toEqual([{ name: 'database', ok: false, detail: 'connect ECONNREFUSED' }]);
  });

  it('fails a check that does not answer in time', async () => {
    const result = await runCheck('bus', () => new Promise<boolean>(() => undefined), 20);
    expect(result).toEqual([{ name: 'bus', ok: false, detail: 'no answer within 20 ms' }]);
  });

  it('maps a boolean answer', async () => {
    expect(await runCheck('bus', async () => true, 100)).toEqual([{ name: 'bus', ok: true, detail: undefined }]);
    expect(await runCheck('bus', async () => false, 100)).toEqual([{ name: 'bus', ok: false, detail: 'unhealthy' }]);
  });
});
