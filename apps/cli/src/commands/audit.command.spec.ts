import type { Database } from '@tessera/event-store';
import { createAuditCommand, formatReport, formatVerifyProgress } from './audit.command';

describe('audit command output', () => {
  it('draws the progress bar in the projections style', () => {
    expect(formatVerifyProgress(450, 1000, 12_345.4)).toBe('[#####-----] 45% 450/1,000 records 12,345 rec/s');
    expect(formatVerifyProgress(0, 0, 0)).toBe('[##########] 100% 0/0 records 0 rec/s');
  });

  it('names the first broken link', () => {
    const base = { verified: 2, from: 1, head: { seq: 5, hash: 'h' }, checkpoints: { verified: 1, latest: 4 } };
    expect(
      formatReport({ ...base, ok: false, broken: { seq: 3, reason: 'hash mismatch: the record was modified' } }),
    ).toBe(
      'audit chain BROKEN at record 3: hash mismatch: the record was modified\n' +
        '2 record(s) verified before it (from 1); 1 signed checkpoint(s) verified, latest at 4\n',
    );
    expect(formatReport({ ...base, ok: true, verified: 5 })).toBe(
      'audit chain intact: 5 record(s) from 1 to 5; 1 signed checkpoint(s) verified, latest at 4\n',
    );
  });

  it('says to migrate when the audit schema is missing', async () => {
    const err: string[] = [];
    const missing = Object.assign(new Error('relation "audit.chain" does not exist'), { code: '42P01' });
    const db = { query: () => Promise.reject(missing), close: () => Promise.resolve() } as unknown as Database;
    const cmd = createAuditCommand({ out: () => undefined, err: (t) => err.push(t), open: async () => db });
    expect(await cmd.run(['verify'])).toBe(1);
    expect(err.join('')).toContain('run `tessera migrate`');
  });

  it('refuses anything but `verify` with its usage', async () => {
    const err: string[] = [];
    const cmd = createAuditCommand({ out: () => undefined, err: (t) => err.push(t) });
    expect(await cmd.run(['check'])).toBe(2);
    expect(err.join('')).toContain('usage: tessera audit verify');
  });
});
