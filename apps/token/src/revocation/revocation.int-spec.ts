import { createHash } from 'node:crypto';
import { TokenEvents } from '@tessera/contracts';
import { type CloudEvent, KafkaBus, type MessageBus, type Subscription } from '@tessera/messaging';
import { kafkaBrokers, uniqueSuffix } from '../../../../test/support/infra';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { REVOCATION_EVENT_TYPE } from './revocation-message';

jest.setTimeout(120_000);

// Issue 3 §7 through POST /oauth/revoke (RFC 7009) on each mode: the cascade is
// one log event, and one integration event reaches a consumer of iam.revocations
// (a separate Kafka client in distributed mode), published from the log by the
// `revocations` relay.

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});
const handleOf = (value: string) => createHash('sha256').update(value).digest('base64url');

async function until<T>(probe: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['distributed', 'standalone'] as const)('revocation (%s)', (mode) => {
  let app: TokenTestApp;
  let consumerBus: MessageBus;
  let subscription: Subscription;
  const received: { key: string | null; event: CloudEvent }[] = [];
  let client: { id: string; secret: string };
  let other: { id: string; secret: string };

  async function registerClient(): Promise<{ id: string; secret: string }> {
    const res = await app.json(
      'POST',
      '/oauth/register',
      { grant_types: ['client_credentials', 'refresh_token'], scope: 'read write' },
      { authorization: `Bearer ${app.adminToken}` },
    );
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  }
  const revoke = (who: { id: string; secret: string }, form: Record<string, string>) =>
    app.form('/oauth/revoke', form, basic(who.id, who.secret));
  const issueFamily = (clientId: string, sub: string) =>
    app.get<TokenIssuer>(TokenIssuer).issue({
      clientId,
      format: 'reference',
      sub,
      scopes: ['read'],
      audience: [app.issuer],
      refreshToken: true,
      meta: { now: new Date(), actor: `user:${sub}` },
    });
  const revocationsOf = (sub: string) => received.filter((r) => r.event.subject === sub);

  beforeAll(async () => {
    app = await startTokenTestApp(mode);
    consumerBus =
      mode === 'distributed' ? new KafkaBus({ brokers: kafkaBrokers, clientId: 'int-revocations' }) : app.bus;
    subscription = await consumerBus.subscribe(
      app.revocationsTopic,
      { groupId: `int-revocations-${uniqueSuffix()}`, fromBeginning: true },
      async (event, info) => {
        received.push({ key: info.key, event });
      },
    );
    client = await registerClient();
    other = await registerClient();
  });
  afterAll(async () => {
    await subscription?.stop();
    if (mode === 'distributed') await consumerBus?.close();
    await app?.close();
  });

  it('revokes a refresh token: family and its access tokens in ONE event, ONE message on iam.revocations', async () => {
    const sub = `user-${uniqueSuffix()}`;
    const first = await issueFamily(client.id, sub);
    const rotated = await app.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: first.refresh_token! },
      basic(client.id, client.secret),
    );
    const live = String(rotated.json().refresh_token);

    // token_type_hint is not trusted: a wrong hint still finds the refresh token.
    const res = await revoke(client, { token: live, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');

    const handles = [
      handleOf(first.refresh_token!),
      handleOf(live),
      handleOf(first.access_token),
      handleOf(String(rotated.json().access_token)),
    ];
    const log = await app.loggedEvents();
    const revoked = log.filter((e) => e.type === TokenEvents.refreshFamilyRevoked && e.data.sub === sub);
    expect(revoked).toHaveLength(1);
    expect(revoked[0].data).toMatchObject({ clientId: client.id, reason: 'revoked_by_client' });
    expect(
      [...(revoked[0].data.refreshHandles as string[]), ...(revoked[0].data.accessTokenHandles as string[])].sort(),
    ).toEqual([...handles].sort());

    const [message] = await until(
      () => (revocationsOf(sub).length > 0 ? revocationsOf(sub) : undefined),
      60_000,
      'revocation message',
    );
    expect(message.key).toBe(sub);
    expect(message.event).toMatchObject({ type: REVOCATION_EVENT_TYPE, subject: sub, id: revoked[0].id });
    expect((message.event.data as { handles: string[] }).handles.sort()).toEqual([...handles].sort());
    expect(message.event.data).toMatchObject({ clientId: client.id, sub, reason: 'revoked_by_client' });
    const text = JSON.stringify(message.event);
    for (const value of [first.refresh_token!, live, first.access_token]) expect(text).not.toContain(value);

    // The family is dead: its live refresh token no longer works.
    const after = await app.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: live },
      basic(client.id, client.secret),
    );
    expect(after.json().error).toBe('invalid_grant');
    // Revoking again changes nothing.
    expect((await revoke(client, { token: live })).status).toBe(200);
    const again = (await app.loggedEvents()).filter(
      (e) => e.type === TokenEvents.refreshFamilyRevoked && e.data.sub === sub,
    );
    expect(again).toHaveLength(1);
  });

  it('revokes an access token on its own', async () => {
    const cc = await app.form('/oauth/token', { grant_type: 'client_credentials' }, basic(client.id, client.secret));
    const accessToken = String(cc.json().access_token);
    expect((await revoke(client, { token: accessToken, token_type_hint: 'refresh_token' })).status).toBe(200);
    const events = await app.store.readStream(`accesstoken-${handleOf(accessToken)}`);
    expect(events.map((e) => e.type)).toEqual([TokenEvents.accessTokenIssued, TokenEvents.accessTokenRevoked]);
    const [message] = await until(
      () => (revocationsOf(client.id).length > 0 ? revocationsOf(client.id) : undefined),
      60_000,
      'access token revocation message',
    );
    expect(message.event.data).toMatchObject({ handles: [handleOf(accessToken)], sub: client.id });
  });

  it('answers 200 and revokes nothing for an unknown token or a token of another client', async () => {
    const sub = `user-${uniqueSuffix()}`;
    const family = await issueFamily(client.id, sub);
    const count = async () => (await app.loggedEvents()).filter((e) => /revoked$/.test(e.type)).length;
    const before = await count();
    expect((await revoke(other, { token: family.refresh_token! })).status).toBe(200);
    expect((await revoke(other, { token: family.access_token })).status).toBe(200);
    expect((await revoke(client, { token: 'tsr_at_unknown' })).status).toBe(200);
    expect(await count()).toBe(before);
    const still = await app.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: family.refresh_token! },
      basic(client.id, client.secret),
    );
    expect(still.status).toBe(200);
  });

  it('requires client authentication and the token parameter', async () => {
    const wrong = await app.form('/oauth/revoke', { token: 'x' }, basic(client.id, 'wrong'));
    expect(wrong.status).toBe(401);
    expect(wrong.json().error).toBe('invalid_client');
    const missing = await revoke(client, {});
    expect(missing.status).toBe(400);
    expect(missing.json().error).toBe('invalid_request');
    const twice = await app.form('/oauth/revoke', { token: ['a', 'b'] } as never, basic(client.id, client.secret));
    expect(twice.json().error).toBe('invalid_request');
  });
});
