import { TokenEvents, TokenExchangeEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { evolveLineageWork, type LineageWorkRow, lineageKeyOf } from './lineage-work.projection';

let n = 0;
const ev = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  position: ++n,
  transactionId: '1',
  streamId: 's',
  streamVersion: 1,
  id: `e${n}`,
  type,
  schemaVersion: 1,
  data,
  metadata: {},
  recordedAt: new Date(0),
});
const fold = (events: RecordedEvent[]) => {
  const rows = new Map<string, LineageWorkRow>();
  for (const e of events) {
    const key = lineageKeyOf(e);
    if (key === null) continue;
    const next = evolveLineageWork(rows.get(key) ?? null, e);
    if (next) rows.set(key, next);
    else rows.delete(key);
  }
  return rows;
};
const revokedBy = { clientId: 'app', sub: 'alice', revokedAt: '2030-01-01T00:00:00.000Z' };

describe('token.lineage_work', () => {
  it('keeps no row for revocations of tokens nothing was exchanged from', () => {
    expect(
      fold([ev(TokenEvents.accessTokenRevoked, { handle: 'h', reason: 'consent_revoked', ...revokedBy })]).size,
    ).toBe(0);
  });

  it('turns pending when a family that tokens were exchanged from is revoked without lineage, and clears after the cascade', () => {
    const exchanged = ev(TokenExchangeEvents.tokenExchanged, { handle: 'x', parentHandle: 'h1', parentFamilyId: 'f' });
    const reuse = ev(TokenEvents.refreshFamilyRevoked, {
      familyId: 'f',
      reason: 'refresh_token_reuse',
      accessTokenHandles: ['h1', 'h2'],
      ...revokedBy,
    });
    const rows = fold([exchanged, reuse]);
    expect(rows.get('f')).toEqual({
      key: 'f',
      pending: 'true',
      revoked: { sourceEventId: reuse.id, roots: ['h1', 'h2'], cause: 'refresh_token_reuse', ...revokedBy },
    });
    expect(fold([exchanged, reuse, ev(TokenExchangeEvents.tokenLineageRevoked, { key: 'f' })]).size).toBe(0);
  });

  it('ignores revocations the lineage revoker already cascaded, and descendants’ own revocations', () => {
    const exchanged = ev(TokenExchangeEvents.tokenExchanged, { handle: 'x', parentHandle: 'h' });
    const rows = fold([
      exchanged,
      ev(TokenEvents.accessTokenRevoked, {
        handle: 'h',
        reason: 'revoked_by_client',
        descendantHandles: [],
        ...revokedBy,
      }),
      ev(TokenEvents.accessTokenRevoked, { handle: 'x', reason: 'ancestor_revoked', ...revokedBy }),
    ]);
    expect(rows.get('h')).toEqual({ key: 'h' });
  });
});
