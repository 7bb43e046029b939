import { AUDIT_EVENT_TYPE, type AuditMessageData, type AuditRecord, TokenEvents } from '@tessera/contracts';
import type { Database, EventStore } from '@tessera/event-store';
import { type CloudEvent, KafkaBus, type MessageBus, type Subscription } from '@tessera/messaging';
import { EVENT_STORE } from '@tessera/platform';
import { kafkaBrokers, uniqueSuffix } from '../../../test/support/infra';
import { createAuditCommand } from '../../cli/src/commands/audit.command';
import { TokenIssuer } from '../../token/src/tokens/token-issuer.service';
import { type AuditTestApp, startAuditTestApp } from '../test/audit-test-app';
import { type IntegrityReport, verifyAuditChain } from './integrity/audit-integrity';
import { AuditPublisher } from './publish/audit.publisher';
import type { AuditEventsPage } from './query/audit-events.service';
import { runAuditBatch } from './trail/audit-batch';
import { chainHash } from './trail/audit-chain';
import { pruneAuditTrail } from './trail/audit-retention';
import { latestCheckpoint } from './trail/chain-checkpoints';
import { AuditTrailConsumer } from './trail/audit-trail.consumer';

jest.setTimeout(120_000);

// Issue 7 §1 in both modes through Fastify inject: the token service's events
// become hash-chained audit records, queryable, exportable as NDJSON,
// published on iam.audit, verifiable, and tampering is named.

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['distributed', 'standalone'] as const)('audit service (%s)', (mode) => {
  let app: AuditTestApp;
  let consumerBus: MessageBus;
  let subscription: Subscription;
  const received: { key: string | null; event: CloudEvent }[] = [];
  let client: { id: string; secret: string };
  let accessToken: string;
  const startedAt = new Date(Date.now() - 1000).toISOString();
  const person = `user-${uniqueSuffix()}`;
  const admin = () => ({ authorization: `Bearer ${app.adminToken}` });
  const audit = (url: string, headers: Record<string, string> = admin()) =>
    app.audit.request({ method: 'GET', url, headers });
  const page = async (url: string) => {
    const res = await audit(url);
    expect(res.status).toBe(200);
    return res.json<AuditEventsPage>();
  };
  const integrity = async () => {
    const res = await audit('/audit/integrity');
    expect(res.status).toBe(200);
    return res.json<IntegrityReport>();
  };
  const verifyCli = async () => {
    const out: string[] = [];
    const err: string[] = [];
    // The command closes what it opens: hand it the app's database behind a close that does nothing.
    const open = async (): Promise<Database> =>
      new Proxy(app.db, {
        get(target, prop, receiver) {
          if (prop === 'close') return async () => undefined;
          const value: unknown = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const code = await createAuditCommand({ out: (t) => out.push(t), err: (t) => err.push(t), open }).run(['verify']);
    return { code, out: out.join(''), err: err.join('') };
  };
  const actionsOf = (p: AuditEventsPage) => p.records.map((r) => r.record.action);

  beforeAll(async () => {
    app = await startAuditTestApp(mode);
    consumerBus = mode === 'distributed' ? new KafkaBus({ brokers: kafkaBrokers, clientId: 'int-audit' }) : app.bus;
    subscription = await consumerBus.subscribe(
      app.auditTopic,
      { groupId: `int-audit-${uniqueSuffix()}`, fromBeginning: true },
      async (event, info) => {
        received.push({ key: info.key, event });
      },
    );
    const reg = await app.token.json(
      'POST',
      '/oauth/register',
      { grant_types: ['client_credentials'], scope: 'read write orders_read' },
      admin(),
    );
    expect(reg.status).toBe(201);
    client = { id: String(reg.json().client_id), secret: String(reg.json().client_secret) };
    const scope = await app.token.request({
      method: 'PUT',
      url: '/admin/scopes/orders_read',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: JSON.stringify({ description: 'Read orders', claims: ['account_nr'] }),
    });
    expect(scope.status).toBe(200);
    const issued = await app.token.form(
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'read' },
      basic(client.id, client.secret),
    );
    expect(issued.status).toBe(200);
    accessToken = String(issued.json().access_token);
    const revoked = await app.token.form('/oauth/revoke', { token: accessToken }, basic(client.id, client.secret));
    expect(revoked.status).toBe(200);
    // A token about a person, releasing a claim: its VALUE must never reach the trail.
    await app.token.get<TokenIssuer>(TokenIssuer).issue({
      clientId: client.id,
      format: 'reference',
      sub: person,
      scopes: ['orders_read'],
      audience: [app.issuer],
      claims: { account_nr: 'ACCT-998877' },
      meta: { now: new Date(), actor: `client:${client.id}`, correlationId: 'corr-audit-1' },
    });
    await until(
      async () => {
        const p = await page(`/audit/events?client=${client.id}&limit=1000`);
        const actions = actionsOf(p);
        return actions.includes(TokenEvents.accessTokenRevoked) &&
          actions.filter((a) => a === TokenEvents.accessTokenIssued).length === 2
          ? p
          : undefined;
      },
      30_000,
      'audit records of the client',
    );
  });
  afterAll(async () => {
    await subscription?.stop();
    if (mode === 'distributed') await consumerBus?.close();
    await app?.close();
  });

  it('records registration, issuance and revocation with actor, ids, scopes and outcome', async () => {
    const p = await page(`/audit/events?client=${client.id}&limit=1000`);
    expect(actionsOf(p)).toEqual(
      expect.arrayContaining(['client.registered', TokenEvents.accessTokenIssued, TokenEvents.accessTokenRevoked]),
    );
    const revoked = p.records.find((r) => r.record.action === TokenEvents.accessTokenRevoked)!.record;
    expect(revoked).toMatchObject({
      actor: { kind: 'client', id: client.id },
      clientId: client.id,
      subject: client.id,
      outcome: 'revoked',
      reason: 'revoked_by_client',
    });
    expect(revoked.target.stream).toMatch(/^accesstoken-/);
    // Every entry carries its link: the export can be verified offline.
    for (const e of p.records) expect(chainHash(e.prevHash, e.record)).toBe(e.hash);
  });

  it('answers "who received which claims about whom, and when" with one query, names only', async () => {
    const p = await page(`/audit/events?action=access-token.issued&subject=${person}`);
    expect(p.records).toHaveLength(1);
    expect(p.records[0].record).toMatchObject({
      clientId: client.id,
      subject: person,
      scopes: ['orders_read'],
      claims: ['account_nr'],
      correlationId: 'corr-audit-1',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const rows = await app.db.query<{ r: string }>('SELECT record::text || prev_hash || hash AS r FROM audit.records');
    const all = rows.map((r) => r.r).join('\n');
    expect(all).not.toContain('ACCT-998877');
    expect(all).not.toContain(accessToken);
    expect(all).not.toContain(client.secret);
  });

  it('chains every event of the log exactly once, also with consumers racing', async () => {
    const store = app.audit.get<EventStore>(EVENT_STORE);
    const stream = `probe-${uniqueSuffix()}`;
    for (let i = 0; i < 12; i++) {
      await store.append(stream, i, [{ type: 'probe.happened', data: { userId: `u${i}`, secret: 'S3CRET' } }]);
    }
    // Everything committed so far must be chained once the probes are (the table, not readAll: DESIGN §2).
    const logged = await app.db.query<{ event_id: string }>('SELECT event_id::text AS event_id FROM eventlog.events');
    // Three catch-ups with tiny batches at once (distributed: three connections): they serialise on the chain head.
    const race = () =>
      (async () => {
        while ((await runAuditBatch(app.db, store, 2)) > 0);
      })();
    await until(
      async () => {
        await Promise.all([race(), race(), race()]);
        const [{ n }] = await app.db.query<{ n: string | number }>(
          "SELECT count(*) AS n FROM audit.records WHERE record->'target'->>'stream' = $1",
          [stream],
        );
        return Number(n) === 12 ? true : undefined;
      },
      30_000,
      'the probe events chained',
    );
    const chained = await app.db.query<{ id: string }>("SELECT record->>'eventId' AS id FROM audit.records");
    const ids = chained.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(logged.map((r) => r.event_id)));
    const probes = await page(`/audit/events?action=probe.happened&limit=100`);
    expect(probes.records.map((r) => r.record.target.ids.userId)).toEqual([...Array(12).keys()].map((i) => `u${i}`));
    expect(JSON.stringify(probes)).not.toContain('S3CRET');
    expect((await integrity()).ok).toBe(true);
  });

  it('pages by cursor over client, action and time filters', async () => {
    const filter = `client=${client.id}&from=${encodeURIComponent(startedAt)}`;
    const whole = await page(`/audit/events?${filter}&limit=1000`);
    expect(whole.next_cursor).toBeUndefined();
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const p = await page(`/audit/events?${filter}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.records.length).toBeLessThanOrEqual(2);
      seen.push(...p.records.map((r) => r.record.seq));
      cursor = p.next_cursor;
    } while (cursor);
    expect(seen).toEqual(whole.records.map((r) => r.record.seq));
    expect(seen.length).toBeGreaterThanOrEqual(4);
    const future = await page(`/audit/events?${filter.replace(/from=[^&]*/, 'from=2999-01-01T00:00:00Z')}`);
    expect(future.records).toEqual([]);
    const byAction = await page(`/audit/events?client=${client.id}&action=access-token.revoked`);
    expect(actionsOf(byAction)).toEqual([TokenEvents.accessTokenRevoked]);
  });

  it('exports NDJSON by Accept header and by .ndjson path', async () => {
    const byHeader = await audit(`/audit/events?client=${client.id}`, { ...admin(), accept: 'application/x-ndjson' });
    const byPath = await audit(`/audit/events.ndjson?client=${client.id}`);
    for (const res of [byHeader, byPath]) {
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^application\/x-ndjson/);
      const lines = res.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditMessageData);
      expect(lines.length).toBeGreaterThanOrEqual(4);
      for (const l of lines) expect(chainHash(l.prevHash, l.record)).toBe(l.hash);
    }
    expect(byHeader.body).toBe(byPath.body);
  });

  it('publishes every record on iam.audit as a CloudEvent', async () => {
    const p = await page(`/audit/events?client=${client.id}&action=access-token.revoked`);
    const record = p.records[0].record;
    const message = await until(
      () => received.find((m) => m.event.id === record.eventId),
      60_000,
      'the revocation record on iam.audit',
    );
    expect(message.key).toBe(client.id);
    expect(message.event).toMatchObject({ type: AUDIT_EVENT_TYPE, source: 'urn:tessera:audit', subject: client.id });
    expect((message.event.data as AuditMessageData).record).toEqual(record);
  });

  it('signs checkpoints with its own key, published in the token service /jwks, and verifies the chain', async () => {
    const consumer = app.audit.get<AuditTrailConsumer>(AuditTrailConsumer);
    // The consumer's loop may have signed the head already; no key yet means try again.
    const checkpoint = await until(
      async () =>
        ((await consumer.signCheckpoint(true).catch(() => null)) ?? (await latestCheckpoint(app.db))) || undefined,
      30_000,
      'a signed checkpoint',
    );
    const kids = await until(
      async () => {
        const res = await app.token.request({ method: 'GET', url: '/jwks' });
        const ids = res.json<{ keys: { kid: string }[] }>().keys.map((k) => k.kid);
        return ids.includes(checkpoint.kid) ? ids : undefined;
      },
      30_000,
      'the audit key in /jwks',
    );
    expect(kids).toContain(checkpoint.kid);
    const report = await integrity();
    expect(report).toMatchObject({ ok: true, from: 1 });
    expect(report.verified).toBe(report.head.seq);
    expect(report.checkpoints.verified).toBeGreaterThanOrEqual(1);
  });

  describe('tampering (the table is append-only by trigger: the superuser disables it)', () => {
    let seq: number;
    // The consumer's loop stays out of the way (no checkpoint signed behind the tests' backs).
    const consumer = () => app.audit.get<AuditTrailConsumer>(AuditTrailConsumer);
    const store = () => app.audit.get<EventStore>(EVENT_STORE);
    beforeAll(async () => {
      await consumer().onModuleDestroy();
      await app.db.query('ALTER TABLE audit.records DISABLE TRIGGER USER');
      const p = await page(`/audit/events?client=${client.id}&action=access-token.revoked`);
      seq = p.records[0].record.seq;
    });
    afterAll(async () => {
      await app.db.query('ALTER TABLE audit.records ENABLE TRIGGER USER');
      await consumer().onApplicationBootstrap();
    });

    it('refuses UPDATE and DELETE while the trigger is on', async () => {
      await app.db.query('ALTER TABLE audit.records ENABLE TRIGGER USER');
      await expect(app.db.query("UPDATE audit.records SET hash = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(app.db.query('DELETE FROM audit.records WHERE seq = 1')).rejects.toThrow(/append-only/);
      await app.db.query('ALTER TABLE audit.records DISABLE TRIGGER USER');
    });

    it('names a modified record', async () => {
      const [before] = await app.db.query<{ record: string }>(
        'SELECT record::text AS record FROM audit.records WHERE seq = $1',
        [seq],
      );
      await app.db.query(
        `UPDATE audit.records SET record = jsonb_set(record, '{clientId}', '"someone-else"') WHERE seq = $1`,
        [seq],
      );
      expect((await integrity()).broken).toEqual({ seq, reason: 'hash mismatch: the record was modified' });
      const broken = await verifyCli();
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`audit chain BROKEN at record ${seq}: hash mismatch: the record was modified`);
      expect(broken.err).toMatch(/\[[#-]{10}\] \d+% [\d,]+\/[\d,]+ records/);
      await app.db.query('UPDATE audit.records SET record = $2::jsonb WHERE seq = $1', [seq, before.record]);
      expect((await integrity()).ok).toBe(true);
      const intact = await verifyCli();
      expect(intact.code).toBe(0);
      expect(intact.out).toMatch(/^audit chain intact: \d+ record\(s\) from 1 to \d+/);
    });

    it('names a record edited to hold a number without canonical form (no 500, no CLI crash)', async () => {
      const [before] = await app.db.query<{ record: string }>(
        'SELECT record::text AS record FROM audit.records WHERE seq = $1',
        [seq],
      );
      await app.db.query(`UPDATE audit.records SET record = jsonb_set(record, '{position}', '1.5') WHERE seq = $1`, [
        seq,
      ]);
      expect((await integrity()).broken).toEqual({ seq, reason: 'hash mismatch: the record was modified' });
      const broken = await verifyCli();
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`audit chain BROKEN at record ${seq}: hash mismatch: the record was modified`);
      await app.db.query('UPDATE audit.records SET record = $2::jsonb WHERE seq = $1', [seq, before.record]);
      expect((await integrity()).ok).toBe(true);
    });

    it('names records deleted from the end (head wound back) by the signed checkpoint beyond the head', async () => {
      const checkpoint = (await consumer().signCheckpoint(true)) ?? (await latestCheckpoint(app.db))!;
      const [head] = await app.db.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit.chain');
      expect(checkpoint.seq).toBe(Number(head.seq));
      const [{ first }] = await app.db.query<{ first: string | number }>(
        'SELECT min(seq) AS first FROM audit.checkpoints WHERE seq > $1',
        [seq],
      );
      const saved = await app.db.query<{ seq: string | number; record: string; prev_hash: string; hash: string }>(
        'SELECT seq, record::text AS record, prev_hash, hash FROM audit.records WHERE seq > $1 ORDER BY seq',
        [seq],
      );
      await app.db.query('DELETE FROM audit.records WHERE seq > $1', [seq]);
      const [kept] = await app.db.query<{ hash: string }>('SELECT hash FROM audit.records WHERE seq = $1', [seq]);
      await app.db.query('UPDATE audit.chain SET seq = $1, hash = $2', [seq, kept.hash]);
      expect((await integrity()).broken).toEqual({
        seq: Number(first),
        reason: `signed checkpoint ${Number(first)} beyond head ${seq}: records were deleted from the end`,
      });
      expect((await verifyCli()).code).toBe(1);
      for (const row of saved) {
        await app.db.query('INSERT INTO audit.records (seq, record, prev_hash, hash) VALUES ($1, $2::jsonb, $3, $4)', [
          row.seq,
          row.record,
          row.prev_hash,
          row.hash,
        ]);
      }
      await app.db.query('UPDATE audit.chain SET seq = $1, hash = $2', [head.seq, head.hash]);
      expect((await integrity()).ok).toBe(true);
    });

    it('verifies the records kept below a raised pruned_before (it does not hide a modification)', async () => {
      const checkpoint = (await consumer().signCheckpoint(true)) ?? (await latestCheckpoint(app.db))!;
      expect(checkpoint.seq).toBeGreaterThan(seq);
      const [before] = await app.db.query<{ record: string }>(
        'SELECT record::text AS record FROM audit.records WHERE seq = $1',
        [seq],
      );
      await app.db.query(
        `UPDATE audit.records SET record = jsonb_set(record, '{clientId}', '"someone-else"') WHERE seq = $1`,
        [seq],
      );
      await app.db.query('UPDATE audit.chain SET pruned_before = $1', [checkpoint.seq]);
      const report = await integrity();
      expect(report.broken).toEqual({ seq, reason: 'hash mismatch: the record was modified' });
      expect(report.from).toBe(1);
      await app.db.query('UPDATE audit.records SET record = $2::jsonb WHERE seq = $1', [seq, before.record]);
      await app.db.query('UPDATE audit.chain SET pruned_before = 1');
      expect((await integrity()).ok).toBe(true);
    });

    it('keeps checkpoints append-only, and names a deleted checkpoint set by the head running past it', async () => {
      await consumer().signCheckpoint(true);
      await expect(app.db.query('UPDATE audit.checkpoints SET hash = hash')).rejects.toThrow(
        /audit\.checkpoints is append-only/,
      );
      await expect(app.db.query('DELETE FROM audit.checkpoints')).rejects.toThrow(/append-only/);
      const tight = { checkpointEveryRecords: 2, batchSize: 1 };
      expect((await verifyAuditChain(app.db, store(), undefined, tight)).ok).toBe(true);
      const saved = await app.db.query<{ seq: string | number; hash: string; kid: string; jws: string; at: string }>(
        'SELECT seq, hash, kid, jws, signed_at::text AS at FROM audit.checkpoints ORDER BY seq',
      );
      const [head] = await app.db.query<{ seq: string | number }>('SELECT seq FROM audit.chain');
      expect(Number(head.seq)).toBeGreaterThan(6);
      await app.db.query('ALTER TABLE audit.checkpoints DISABLE TRIGGER USER');
      try {
        await app.db.query('DELETE FROM audit.checkpoints');
        const report = await verifyAuditChain(app.db, store(), undefined, tight);
        expect(report.broken).toEqual({
          seq: 1,
          reason: `no signed checkpoint for the last ${Number(head.seq)} records: checkpoints were deleted or are not being signed`,
        });
        for (const c of saved) {
          await app.db.query(
            'INSERT INTO audit.checkpoints (seq, hash, kid, jws, signed_at) VALUES ($1, $2, $3, $4, $5::timestamptz)',
            [c.seq, c.hash, c.kid, c.jws, c.at],
          );
        }
      } finally {
        await app.db.query('ALTER TABLE audit.checkpoints ENABLE TRIGGER USER');
      }
      expect((await verifyAuditChain(app.db, store(), undefined, tight)).ok).toBe(true);
    });

    it('names a rewritten chain (every later hash recomputed) at the signed checkpoint that covers it', async () => {
      await app.audit.get<AuditTrailConsumer>(AuditTrailConsumer).signCheckpoint(true);
      const checkpoint = (await latestCheckpoint(app.db))!;
      expect(checkpoint.seq).toBeGreaterThan(seq);
      const saved = await app.db.query<{ seq: string | number; record: string; prev_hash: string; hash: string }>(
        'SELECT seq, record::text AS record, prev_hash, hash FROM audit.records WHERE seq >= $1 ORDER BY seq',
        [seq],
      );
      const [head] = await app.db.query<{ hash: string }>('SELECT hash FROM audit.chain');
      let prev = saved[0].prev_hash;
      for (const row of saved) {
        const record = JSON.parse(row.record) as AuditRecord;
        if (Number(row.seq) === seq) record.subject = 'someone-else';
        const hash = chainHash(prev, record);
        await app.db.query('UPDATE audit.records SET record = $2::jsonb, prev_hash = $3, hash = $4 WHERE seq = $1', [
          row.seq,
          JSON.stringify(record),
          prev,
          hash,
        ]);
        prev = hash;
      }
      await app.db.query('UPDATE audit.chain SET hash = $1', [prev]);
      expect((await integrity()).broken).toEqual({
        seq: checkpoint.seq,
        reason: `record ${checkpoint.seq} differs from signed checkpoint ${checkpoint.seq}`,
      });
      for (const row of saved) {
        await app.db.query('UPDATE audit.records SET record = $2::jsonb, prev_hash = $3, hash = $4 WHERE seq = $1', [
          row.seq,
          row.record,
          row.prev_hash,
          row.hash,
        ]);
      }
      await app.db.query('UPDATE audit.chain SET hash = $1', [head.hash]);
      expect((await integrity()).ok).toBe(true);
    });

    it('names a deleted record', async () => {
      const [row] = await app.db.query<{ record: string; prev_hash: string; hash: string }>(
        'SELECT record::text AS record, prev_hash, hash FROM audit.records WHERE seq = $1',
        [seq],
      );
      await app.db.query('DELETE FROM audit.records WHERE seq = $1', [seq]);
      expect((await integrity()).broken).toEqual({
        seq,
        reason: `record ${seq} missing: the next stored record is ${seq + 1}`,
      });
      await app.db.query('INSERT INTO audit.records (seq, record, prev_hash, hash) VALUES ($1, $2::jsonb, $3, $4)', [
        seq,
        row.record,
        row.prev_hash,
        row.hash,
      ]);
      expect((await integrity()).ok).toBe(true);
    });

    it('names a reordered pair', async () => {
      const swap = async () => {
        await app.db.query('UPDATE audit.records SET seq = -1 WHERE seq = $1', [seq - 1]);
        await app.db.query('UPDATE audit.records SET seq = $1 WHERE seq = $2', [seq - 1, seq]);
        await app.db.query('UPDATE audit.records SET seq = $1 WHERE seq = -1', [seq]);
      };
      await swap();
      expect((await integrity()).broken).toEqual({
        seq: seq - 1,
        reason: `out of order: record ${seq} is stored at ${seq - 1}`,
      });
      await swap();
      expect((await integrity()).ok).toBe(true);
    });
  });

  it('prunes only below a signed checkpoint and what iam.audit got, and stays verifiable from it', async () => {
    const consumer = app.audit.get<AuditTrailConsumer>(AuditTrailConsumer);
    const publisher = app.audit.get<AuditPublisher>(AuditPublisher);
    const checkpoint = (await consumer.signCheckpoint(true)) ?? (await latestCheckpoint(app.db))!;
    const later = new Date(Date.now() + 3600_000);
    // Kafka down longer than the retention: the publisher is stuck before the records (its cursor is ours now).
    await publisher.onModuleDestroy();
    try {
      await app.db.query('UPDATE audit.publisher SET seq = 0');
      expect(await pruneAuditTrail(app.db, later)).toEqual({ anchor: null, deleted: 0 });
      await app.db.query('UPDATE audit.publisher SET seq = $1', [checkpoint.seq - 2]);
      expect((await pruneAuditTrail(app.db, later)).anchor ?? 0).toBeLessThan(checkpoint.seq);
      await app.db.query('UPDATE audit.publisher SET seq = $1', [checkpoint.seq - 1]);
    } finally {
      publisher.onApplicationBootstrap();
    }
    const result = await pruneAuditTrail(app.db, later);
    expect(result.anchor).toBe(checkpoint.seq);
    const report = await integrity();
    expect(report).toMatchObject({ ok: true, from: checkpoint.seq });
    const [{ n }] = await app.db.query<{ n: string | number }>('SELECT min(seq) AS n FROM audit.records');
    expect(Number(n)).toBe(checkpoint.seq);
  });

  it('reports its lag behind the log as a metric', async () => {
    const res = await app.audit.request({ method: 'GET', url: '/metrics' });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^tessera_projection_lag_events\{[^}]*projection="audit\.records"[^}]*\} \d+$/m);
  });

  it('requires the admin token and answers bad parameters with invalid_request', async () => {
    const anonymous = await audit('/audit/integrity', {});
    expect(anonymous.status).toBe(401);
    const bad = await audit('/audit/events?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request' });
    const badCursor = await audit('/audit/events.ndjson?cursor=nope');
    expect(badCursor.status).toBe(400);
  });
});
