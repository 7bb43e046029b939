import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessTokenStream, refreshFamilyStream, TokenEvents, TokenExchangeEvents } from '@tessera/contracts';
import { type CloudEvent, KafkaBus, type MessageBus, type Subscription } from '@tessera/messaging';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@tessera/oauth';
import { AccessTokenVerifier } from '@tessera/resource-server';
import { decodeJwt } from 'jose';
import { kafkaBrokers, uniqueSuffix } from '../../../../test/support/infra';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import type { RegisteredClient } from '../clients/registered-client';
import { RefreshFamilies } from '../tokens/refresh-family.service';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { basic, type TestClient } from '../../../../test/support/oauth-helpers';

jest.setTimeout(120_000);

// Issue 6 §1 through POST /oauth/token and /oauth/revoke on each mode: a
// two-hop exchange (A's token → service B for audience C → service C for
// audience D) with nested act, verified by the resource-server library, and
// revoking A's token reaching the token two exchanges down in one log event
// and one message on iam.revocations.

type Client = TestClient;
const handleOf = (value: string) => createHash('sha256').update(value).digest('base64url');
const AUD_C = 'https://c.example';
const AUD_D = 'https://d.example';

let lastLog: Awaited<ReturnType<TokenTestApp['loggedEvents']>> = [];

async function until<T>(
  probe: () => T | undefined,
  ms: number,
  what: string,
  refresh: () => Promise<void> = async () => {},
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    await refresh();
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['distributed', 'standalone'] as const)('token exchange (%s)', (mode) => {
  let app: TokenTestApp;
  let consumerBus: MessageBus;
  let subscription: Subscription;
  let jwks: Server;
  let jwksUri: string;
  const received: CloudEvent[] = [];
  let a: Client;
  let b: Client;
  let c: Client;

  async function register(metadata: Record<string, unknown>): Promise<Client> {
    const res = await app.json('POST', '/oauth/register', metadata, { authorization: `Bearer ${app.adminToken}` });
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  }
  const exchange = (by: Client, form: Record<string, string | string[]>) =>
    app.form(
      '/oauth/token',
      { grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token_type: ACCESS_TOKEN_TYPE, ...form },
      basic(by),
    );
  const tokenOfA = async () => {
    const res = await app.form('/oauth/token', { grant_type: 'client_credentials', scope: 'billing ledger' }, basic(a));
    expect(res.status).toBe(200);
    return String(res.json().access_token);
  };
  /** A user's access token with a refresh family (as the authorization code grant issues it), issued to A. */
  const userTokenWithFamily = () =>
    app.get<TokenIssuer>(TokenIssuer).issue({
      clientId: a.id,
      format: 'reference',
      sub: `user-${uniqueSuffix()}`,
      scopes: ['billing', 'ledger'],
      audience: [app.issuer],
      refreshToken: true,
      meta: { now: new Date(), actor: 'user:test' },
    });
  /** A's token → B for C → C for D. */
  async function twoHops(root: string): Promise<[string, string]> {
    const first = await exchange(b, { subject_token: root, audience: AUD_C });
    expect(first.status).toBe(200);
    const second = await exchange(c, {
      subject_token: String(first.json().access_token),
      subject_token_type: JWT_TOKEN_TYPE,
      resource: AUD_D,
    });
    expect(second.status).toBe(200);
    return [String(first.json().access_token), String(second.json().access_token)];
  }

  /** The revocation of `root` in the log is ONE event listing `descendants`; each descendant's own stream says why. */
  async function expectOneCascade(root: string, descendants: readonly string[]): Promise<void> {
    const log = await app.loggedEvents();
    const rootRevocation = log.filter((e) => e.type === TokenEvents.accessTokenRevoked && e.data.handle === root);
    expect(rootRevocation).toHaveLength(1);
    expect([...(rootRevocation[0].data.descendantHandles as string[])].sort()).toEqual([...descendants].sort());
    for (const handle of descendants) {
      const own = log.filter((e) => e.type === TokenEvents.accessTokenRevoked && e.data.handle === handle);
      expect(own.map((e) => e.data.reason)).toEqual(['ancestor_revoked']);
    }
  }
  /** The first `iam.revocations` message naming `handle`. */
  const revocationMessage = (handle: string) =>
    until(
      () => received.find((m) => (m.data as { handles: string[] }).handles.includes(handle)),
      30_000,
      'the revocation message',
    );

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
    consumerBus = mode === 'distributed' ? new KafkaBus({ brokers: kafkaBrokers, clientId: 'int-exchange' }) : app.bus;
    subscription = await consumerBus.subscribe(
      app.revocationsTopic,
      { groupId: `int-exchange-${uniqueSuffix()}`, fromBeginning: true },
      async (event) => {
        received.push(event);
      },
    );
    // The issuer's /jwks over real HTTP, for the resource-server library.
    jwks = createServer((_req, res) => {
      void app.json('GET', '/jwks', undefined).then((answer) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
    a = await register({ grant_types: ['client_credentials'], scope: 'billing ledger' });
    b = await register({
      grant_types: [TOKEN_EXCHANGE_GRANT_TYPE],
      token_exchange_policy: { [AUD_C]: 'billing ledger' },
    });
    c = await register({ grant_types: [TOKEN_EXCHANGE_GRANT_TYPE], token_exchange_policy: { [AUD_D]: 'ledger' } });
  });
  afterAll(async () => {
    await subscription?.stop();
    if (mode === 'distributed') await consumerBus?.close();
    await new Promise((r) => jwks?.close(r));
    await app?.close();
  });

  it('exchanges over two hops: nested act, narrowed scope, exp ≤ the subject, verifiable by the resource-server library', async () => {
    const root = await tokenOfA();
    const first = await exchange(b, { subject_token: root, audience: AUD_C });
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json()).toEqual({
      access_token: expect.any(String),
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'billing ledger',
    });
    const second = await exchange(c, {
      subject_token: String(first.json().access_token),
      subject_token_type: JWT_TOKEN_TYPE,
      resource: AUD_D,
    });
    expect(second.status).toBe(200);
    expect(second.json()).not.toHaveProperty('refresh_token');
    const jwt = String(second.json().access_token);
    expect(decodeJwt(jwt).exp).toBeLessThanOrEqual(decodeJwt(String(first.json().access_token)).exp!);

    const verifier = new AccessTokenVerifier({ issuer: app.issuer, audience: AUD_D, jwksUri });
    const { principal } = await verifier.verify(jwt);
    expect(principal).toMatchObject({ sub: a.id, clientId: c.id, scopes: ['ledger'] });
    expect(principal.actorChain).toEqual([{ sub: c.id }, { sub: b.id }]);

    // The log: lineage and the audit record, never a token value.
    const log = await app.loggedEvents();
    const issued = log.find((e) => e.type === TokenEvents.accessTokenIssued && e.data.handle === handleOf(jwt));
    expect(issued?.data).toMatchObject({
      parentHandle: handleOf(String(first.json().access_token)),
      act: { sub: c.id, act: { sub: b.id } },
    });
    const audit = log.find((e) => e.type === TokenExchangeEvents.tokenExchanged && e.data.handle === handleOf(jwt));
    expect(audit?.data).toMatchObject({
      clientId: c.id,
      sub: a.id,
      audience: AUD_D,
      scope: 'ledger',
      droppedScopes: ['billing'],
    });
    const text = JSON.stringify(log);
    for (const value of [root, String(first.json().access_token), jwt]) expect(text).not.toContain(value);
  });

  it('refuses with the RFC 8693 error codes and writes nothing', async () => {
    const root = await tokenOfA();
    const before = (await app.loggedEvents()).length;
    const cases: [Client, Record<string, string>, string][] = [
      [a, { subject_token: root, audience: AUD_C }, 'unauthorized_client'],
      [b, { subject_token: root, audience: AUD_D }, 'invalid_target'],
      [b, { subject_token: root, audience: AUD_C, scope: 'billing admin' }, 'invalid_scope'],
      [b, { subject_token: root, subject_token_type: JWT_TOKEN_TYPE, audience: AUD_C }, 'invalid_request'],
      [b, { subject_token: `${root}x`, audience: AUD_C }, 'invalid_request'],
      [
        b,
        {
          subject_token: root,
          audience: AUD_C,
          requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token',
        },
        'invalid_request',
      ],
    ];
    for (const [who, form, error] of cases) {
      const res = await exchange(who, form);
      expect([form, res.status, res.json().error]).toEqual([form, 400, error]);
    }
    expect((await app.loggedEvents()).length).toBe(before);
  });

  it('revoking the root revokes the token two exchanges down: one log event, one message on iam.revocations', async () => {
    const root = await tokenOfA();
    const [first, second] = await twoHops(root);
    const res = await app.form('/oauth/revoke', { token: root }, basic(a));
    expect(res.status).toBe(200);

    const cascade = [handleOf(root), handleOf(first), handleOf(second)];
    await expectOneCascade(handleOf(root), cascade.slice(1));

    const message = await revocationMessage(handleOf(second));
    expect([...(message.data as { handles: string[] }).handles].sort()).toEqual([...cascade].sort());
    await new Promise((r) => setTimeout(r, 500));
    expect(
      received.filter((m) => (m.data as { handles: string[] }).handles.some((h) => cascade.includes(h))),
    ).toHaveLength(1);

    // The revoked descendant can no longer be exchanged.
    const again = await exchange(c, { subject_token: first, subject_token_type: JWT_TOKEN_TYPE, resource: AUD_D });
    expect(again.status).toBe(400);
    expect(again.json().error).toBe('invalid_request');
  });

  it('20 concurrent exchanges of one subject token all succeed; revoking it revokes all 20 as one cascade', async () => {
    const root = await tokenOfA();
    // A service fanning out downstream calls with one user's token: the exchanges race on the subject's stream.
    const results = await Promise.all(
      Array.from({ length: 20 }, () => exchange(b, { subject_token: root, audience: AUD_C })),
    );
    expect(results.map((r) => [r.status, r.json().error])).toEqual(Array.from({ length: 20 }, () => [200, undefined]));
    const children = results.map((r) => handleOf(String(r.json().access_token)));
    expect(new Set(children).size).toBe(20);
    const exchanged = (await app.loggedEvents()).filter(
      (e) => e.type === TokenExchangeEvents.tokenExchanged && e.data.parentHandle === handleOf(root),
    );
    expect(exchanged.map((e) => String(e.data.handle)).sort()).toEqual([...children].sort());

    const res = await app.form('/oauth/revoke', { token: root }, basic(a));
    expect(res.status).toBe(200);
    await expectOneCascade(handleOf(root), children);
    const message = await revocationMessage(handleOf(root));
    expect([...(message.data as { handles: string[] }).handles].sort()).toEqual([handleOf(root), ...children].sort());
    const again = await exchange(b, { subject_token: root, audience: AUD_C });
    expect(again.status).toBe(400);
    expect(again.json().error).toBe('invalid_request');
  });

  it('refresh token reuse revokes the family and, after it, the tokens exchanged from its access tokens', async () => {
    const family = await userTokenWithFamily();
    const [first, second] = await twoHops(family.access_token);
    // Reuse detection (RFC 9700 §4.14.2) through the refresh families service: A is not registered for refresh_token.
    const families = app.get<RefreshFamilies>(RefreshFamilies);
    const client = { clientId: a.id, accessTokenFormat: 'reference' } as RegisteredClient;
    const meta = () => ({ now: new Date(), actor: `client:${a.id}` });
    await families.rotate(family.refresh_token!, client, undefined, meta());
    await expect(families.rotate(family.refresh_token!, client, undefined, meta())).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const cascade = await until(
      () =>
        lastLog.find(
          (e) =>
            e.type === TokenExchangeEvents.tokenLineageRevoked &&
            (e.data.descendantHandles as string[]).includes(handleOf(second)),
        ),
      20_000,
      'the lineage cascade',
      async () => {
        lastLog = await app.loggedEvents();
      },
    );
    expect([...(cascade.data.descendantHandles as string[])].sort()).toEqual(
      [handleOf(first), handleOf(second)].sort(),
    );
    expect(cascade.data).toMatchObject({ reason: 'ancestor_revoked', cause: 'refresh_token_reuse' });
    const message = await revocationMessage(handleOf(second));
    expect([...(message.data as { handles: string[] }).handles].sort()).toEqual(
      [handleOf(first), handleOf(second)].sort(),
    );
    const again = await exchange(c, { subject_token: first, subject_token_type: JWT_TOKEN_TYPE, resource: AUD_D });
    expect(again.json().error).toBe('invalid_request');
  });

  it('an exchange racing its family’s revocation: every child that exists is revoked (30 races)', async () => {
    // The family's revocation writes each live token's stream (family_revoked), the exchange writes its
    // subject's: one of the two appends at that stream version loses and retries (no write skew on guards).
    for (let i = 0; i < 30; i++) {
      const family = await userTokenWithFamily();
      const [exchanged, revoked] = await Promise.all([
        exchange(b, { subject_token: family.access_token, audience: AUD_C }),
        app.form('/oauth/revoke', { token: family.refresh_token! }, basic(a)),
      ]);
      expect(revoked.status).toBe(200);
      expect([
        [200, undefined],
        [400, 'invalid_request'],
      ]).toContainEqual([exchanged.status, exchanged.json().error]);
      const log = await app.loggedEvents();
      const children = log
        .filter(
          (e) => e.type === TokenExchangeEvents.tokenExchanged && e.data.parentHandle === handleOf(family.access_token),
        )
        .map((e) => String(e.data.handle));
      expect(children).toHaveLength(exchanged.status === 200 ? 1 : 0);
      for (const child of children) {
        const own = log.filter((e) => e.type === TokenEvents.accessTokenRevoked && e.data.handle === child);
        expect(own).toHaveLength(1);
      }
      const parent = log.filter(
        (e) => e.type === TokenEvents.accessTokenRevoked && e.data.handle === handleOf(family.access_token),
      );
      expect(parent.map((e) => e.data.reason)).toEqual(['family_revoked']);
    }
  });

  it('an exchange committing while its family is revoked (both transactions open at once): its child is revoked', async () => {
    // PGlite has one connection: transactions cannot interleave there, so this interleaving is PostgreSQL's.
    if (mode !== 'distributed') return;
    const issuer = app.get<TokenIssuer>(TokenIssuer);
    const meta = { now: new Date(), actor: 'user:test' };
    const sub = `user-${uniqueSuffix()}`;
    const family = await issuer.issue({
      clientId: a.id,
      format: 'reference',
      sub,
      scopes: ['billing'],
      audience: [app.issuer],
      refreshToken: true,
      meta,
    });
    const parent = handleOf(family.access_token);
    const child = handleOf(
      (await issuer.issue({ clientId: b.id, format: 'reference', sub, scopes: ['billing'], audience: [AUD_C], meta }))
        .access_token,
    );
    const parentEvents = await app.store.readStream(accessTokenStream(parent));
    const familyId = String(parentEvents[0].data.familyId);
    const familyEvents = await app.store.readStream(refreshFamilyStream(familyId));
    // The exchange's append, exactly as the grant makes it (lineage link written, family only guarded),
    // held uncommitted while the family's revocation reads and appends.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inTransaction = new Promise<void>((resolve) => (entered = resolve));
    const exchanging = app.db.transaction(async (tx) => {
      await app.store.appendMany(
        [
          {
            streamId: accessTokenStream(parent),
            expectedVersion: parentEvents.length,
            events: [
              {
                type: TokenExchangeEvents.tokenExchanged,
                data: { handle: child, parentHandle: parent, parentFamilyId: familyId, clientId: b.id, sub },
              },
            ],
          },
          { streamId: refreshFamilyStream(familyId), expectedVersion: familyEvents.length, events: [] },
        ],
        tx,
      );
      entered();
      await gate;
    });
    await inTransaction;
    const revoking = app.form('/oauth/revoke', { token: family.refresh_token! }, basic(a));
    await new Promise((r) => setTimeout(r, 500)); // the revocation has read and appended (or waits on the exchange)
    release();
    await exchanging;
    expect((await revoking).status).toBe(200);
    const log = await app.loggedEvents();
    const childRevoked = log.filter((e) => e.type === TokenEvents.accessTokenRevoked && e.data.handle === child);
    expect(childRevoked.map((e) => e.data.reason)).toEqual(['ancestor_revoked']);
    const familyRevoked = log.find((e) => e.type === TokenEvents.refreshFamilyRevoked && e.data.familyId === familyId);
    expect(familyRevoked?.data.descendantHandles).toEqual([child]);
  });

  it('an RFC 7592 update cannot widen the client’s own token_exchange_policy', async () => {
    const admin = { authorization: `Bearer ${app.adminToken}` };
    const created = await app.json(
      'POST',
      '/oauth/register',
      { grant_types: [TOKEN_EXCHANGE_GRANT_TYPE], token_exchange_policy: { [AUD_C]: 'billing' } },
      admin,
    );
    const { client_id, registration_access_token } = created.json() as Record<string, string>;
    const update = (policy: Record<string, string>) =>
      app.json(
        'PUT',
        `/oauth/register/${client_id}`,
        { client_id, grant_types: [TOKEN_EXCHANGE_GRANT_TYPE], token_exchange_policy: policy },
        { authorization: `Bearer ${registration_access_token}` },
      );
    const widened = await update({ [AUD_C]: 'billing ledger' });
    expect(widened.status).toBe(400);
    expect(widened.json().error).toBe('invalid_client_metadata');
    const newAudience = await update({ [AUD_C]: 'billing', [AUD_D]: 'ledger' });
    expect(newAudience.status).toBe(400);
  });
});
