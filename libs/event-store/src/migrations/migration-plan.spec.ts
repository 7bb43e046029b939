import { eventLogMigrations } from './index';
import { migrationPlan } from './migration-runner';

describe('migrationPlan (service migrations, issue 3)', () => {
  it('applies the event log first, then service migrations in their given order', () => {
    const extra = [
      { id: 'token/0001_signing_keys', up: 'SELECT 1' },
      { id: 'token/0002_client_secrets', up: 'SELECT 2' },
      { id: 'audit/0001_chain', up: 'SELECT 3' },
    ];
    const ids = migrationPlan(extra).map((m) => m.id);
    expect(ids).toEqual([...eventLogMigrations.map((m) => m.id), ...extra.map((m) => m.id)]);
    expect(migrationPlan().map((m) => m.id)).toEqual(eventLogMigrations.map((m) => m.id));
  });

  it('refuses two migrations with one id (they share one tracking table)', () => {
    expect(() => migrationPlan([{ id: eventLogMigrations[0].id, up: '' }])).toThrow(/duplicate migration id/);
    expect(() =>
      migrationPlan([
        { id: 'token/0001_x', up: '' },
        { id: 'token/0001_x', up: '' },
      ]),
    ).toThrow(/duplicate/);
  });
});
