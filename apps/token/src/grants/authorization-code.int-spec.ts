import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AUTHORIZATION_CODE_CLAIMS_PURPOSE,
  type AuthorizationCodeClaims,
  type AuthorizationCodeIssuedData,
  AuthorizationEvents,
  authorizationCodeStream,
  TokenEvents,
} from '@tessera/contracts';
import type { EventStore, RecordedEvent } from '@tessera/event-store';
import { sealWithToken } from '@tessera/keys';
import { s256CodeChallenge } from '@tessera/oauth';
import { EVENT_STORE } from '@tessera/platform';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import {
  type IntrospectionTestApp,
  startIntrospectionTestApp,
} from '../../../introspection/test/introspection-test-app';
import { revocationMessage } from '../revocation/revocation-message';
import { eventually, basic, type TestClient } from '../../../../test/support/oauth-helpers';

jest.setTimeout(120_000);

// Issue 5 §7 through POST /oauth/token on each mode, with the introspection
// service on the same log: a code (appended here as the authentication service
// would) redeemed once with PKCE for tokens and an ID token; replay, concurrent
// redemption and every bad redemption answered invalid_grant; replay revokes.

const handleOf = (value: string) => createHash('sha256').update(value).digest('base64url');
const REDIRECT = 'https://rp.example/cb';
const ACCOUNT_NR = `AC-${randomBytes(6).toString('hex')}`;
const EMAIL = `ada.${randomBytes(6).toString('hex')}@example.com`;
const NAME = `Ada ${randomBytes(6).toString('hex')}`;

type Client = TestClient;

describe.each(['distributed', 'standalone'] as const)('authorization_code grant (%s)', (mode) => {
  let t: IntrospectionTestApp;
  let store: EventStore;
  let rp: Client;
  let jwtRp: Client;
  let publicRp: string;

  async function register(metadata: Record<string, unknown>): Promise<Client> {
    const res = await t.token.json('POST', '/oauth/register', metadata, { authorization: `Bearer ${t.adminToken}` });
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret ?? '') };
  }

  /** What the authentication service appends when it issues a code (brief 5), and the code value. */
  async function issueCode(
    clientId: string,
    over: Partial<AuthorizationCodeIssuedData> = {},
    claims: AuthorizationCodeClaims = {
      idToken: { email: EMAIL, name: NAME },
      accessToken: { account_nr: ACCOUNT_NR },
    },
  ): Promise<{ code: string; verifier: string; data: AuthorizationCodeIssuedData }> {
    const code = `tsr_ac_${randomBytes(32).toString('base64url')}`;
    const verifier = randomBytes(48).toString('base64url');
    const now = Date.now();
    const data: AuthorizationCodeIssuedData = {
      handle: handleOf(code),
      clientId,
      redirectUri: REDIRECT,
      codeChallenge: s256CodeChallenge(verifier),
      codeChallengeMethod: 'S256',
      scope: 'openid email profile offline_access orders_read',
      sub: `user-${randomUUID()}`,
      sessionHandle: handleOf(`tsr_ses_${randomBytes(32).toString('base64url')}`),
      authTime: new Date(now - 5_000).toISOString(),
      acr: 'urn:tessera:acr:mfa',
      amr: ['pwd', 'otp'],
      nonce: `nonce-${randomUUID()}`,
      consentId: randomUUID(),
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
      sealedClaims: sealWithToken(code, AUTHORIZATION_CODE_CLAIMS_PURPOSE, claims),
      ...over,
    };
    await store.append(authorizationCodeStream(data.handle), 0, [
      { type: AuthorizationEvents.codeIssued, data: { ...data } },
    ]);
    return { code, verifier, data };
  }

  const redeem = (client: Client, form: Record<string, string>) =>
    t.token.form('/oauth/token', { grant_type: 'authorization_code', redirect_uri: REDIRECT, ...form }, basic(client));
  const introspect = async (client: Client, token: string) =>
    (await t.introspection.form('/oauth/introspect', { token }, basic(client))).json();

  async function loggedEvents(): Promise<{ streamId: string; type: string; data: Record<string, unknown> }[]> {
    const rows = await t.db.query<{ stream_id: string; type: string; data: Record<string, unknown> }>(
      'SELECT stream_id, type, data FROM eventlog.events ORDER BY position',
    );
    return rows.map((r) => ({ streamId: r.stream_id, type: r.type, data: r.data }));
  }
  const codeStream = async (code: string) => store.readStream(authorizationCodeStream(handleOf(code)));
  const revocationsOf = async (handle: string) =>
    (await loggedEvents()).filter(
      (e) =>
        (e.type === TokenEvents.refreshFamilyRevoked && (e.data.accessTokenHandles as string[]).includes(handle)) ||
        (e.type === TokenEvents.accessTokenRevoked && e.data.handle === handle),
    );

  beforeAll(async () => {
    t = await startIntrospectionTestApp(mode);
    store = t.token.get<EventStore>(EVENT_STORE);
    const put = await t.token.json(
      'PUT',
      '/admin/scopes/orders_read',
      { description: 'Orders', claims: ['account_nr'] },
      { authorization: `Bearer ${t.adminToken}` },
    );
    expect(put.status).toBeLessThan(300);
    const code = {
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [REDIRECT],
      scope: 'openid email profile offline_access orders_read',
    };
    rp = await register(code);
    jwtRp = await register({ ...code, access_token_format: 'jwt' });
    publicRp = (await register({ ...code, token_endpoint_auth_method: 'none' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('redeems a code once for an access token, a refresh token and an ID token that verifies against /jwks', async () => {
    const { code, verifier, data } = await issueCode(rp.id);
    const res = await redeem(rp, { code, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^tsr_at_[\w-]{43}$/),
      token_type: 'Bearer',
      expires_in: 900,
      scope: data.scope,
      refresh_token: expect.stringMatching(/^tsr_rt_/),
      id_token: expect.any(String),
    });
    const accessToken = String(body.access_token);
    const idToken = String(body.id_token);

    // OIDC Core §3.1.3.7: signed by a key in /jwks, typ JWT, aud = client, with the code's authentication facts.
    expect(decodeProtectedHeader(idToken)).toMatchObject({ typ: 'JWT', alg: 'ES256', kid: expect.any(String) });
    const jwks = (await t.token.json('GET', '/jwks', undefined)).json() as unknown as JSONWebKeySet;
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: t.issuer, audience: rp.id });
    const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
    expect(payload).toMatchObject({
      sub: data.sub,
      aud: rp.id,
      nonce: data.nonce,
      acr: 'urn:tessera:acr:mfa',
      amr: ['pwd', 'otp'],
      auth_time: Math.floor(Date.parse(data.authTime) / 1000),
      at_hash: atHash,
      sid: data.sessionHandle,
      email: EMAIL,
      name: NAME,
    });
    expect(payload.exp! - payload.iat!).toBe(900);

    // Single use in the log: the code's stream names what it issued; grants record the consent.
    const events = await codeStream(code);
    expect(events.map((e) => e.type)).toEqual([AuthorizationEvents.codeIssued, AuthorizationEvents.codeRedeemed]);
    expect(events[1].data).toMatchObject({
      handle: data.handle,
      clientId: rp.id,
      accessTokenHandle: handleOf(accessToken),
    });
    const familyId = String(events[1].data.familyId);
    const [issued] = await store.readStream(`accesstoken-${handleOf(accessToken)}`);
    expect(issued.data).toMatchObject({ sub: data.sub, consentId: data.consentId, familyId, aud: [t.issuer] });
    const [started] = await store.readStream(`refreshfamily-${familyId}`);
    expect(started.data).toMatchObject({ consentId: data.consentId, sub: data.sub });

    // The access token releases the scope's required claim at introspection, opened with the token itself.
    expect(await introspect(rp, accessToken)).toMatchObject({ active: true, sub: data.sub, account_nr: ACCOUNT_NR });

    // A rotation keeps the family's claims (sealed under each refresh token in turn).
    const rotated = await t.token.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: String(body.refresh_token) },
      basic(rp),
    );
    expect(rotated.status).toBe(200);
    expect(await introspect(rp, String(rotated.json().access_token))).toMatchObject({
      active: true,
      account_nr: ACCOUNT_NR,
    });
    // OIDC Core §12.2: a new ID token for the same authentication (same sub, aud, auth_time), no nonce.
    const refreshedId = await jwtVerify(String(rotated.json().id_token), createLocalJWKSet(jwks), {
      issuer: t.issuer,
      audience: rp.id,
    });
    expect(refreshedId.payload).toMatchObject({
      sub: data.sub,
      auth_time: payload.auth_time,
      acr: payload.acr,
      email: EMAIL,
      at_hash: createHash('sha256')
        .update(String(rotated.json().access_token))
        .digest()
        .subarray(0, 16)
        .toString('base64url'),
    });
    expect(refreshedId.payload.nonce).toBeUndefined();

    // DESIGN §2: no claim about the person, no code or token value, in clear in any event.
    const log = JSON.stringify(await loggedEvents());
    const secrets = [ACCOUNT_NR, EMAIL, NAME, code, accessToken, idToken, String(body.refresh_token)];
    for (const secret of [...secrets, String(rotated.json().refresh_token), String(rotated.json().id_token)]) {
      expect(log).not.toContain(secret);
    }
  });

  it('lists the grant in discovery', async () => {
    const doc = (await t.token.json('GET', '/.well-known/openid-configuration', undefined)).json();
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['account_nr', 'at_hash']));
  });

  it('answers a replay with invalid_grant and revokes the refresh family it started, in one revocation event', async () => {
    const { code, verifier } = await issueCode(rp.id);
    const first = await redeem(rp, { code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const accessToken = String(first.json().access_token);
    expect(await introspect(rp, accessToken)).toMatchObject({ active: true });

    const replay = await redeem(rp, { code, code_verifier: verifier });
    expect(replay.status).toBe(400);
    expect(replay.json().error).toBe('invalid_grant');

    const revocations = await revocationsOf(handleOf(accessToken));
    expect(revocations).toHaveLength(1);
    expect(revocations[0]).toMatchObject({
      type: TokenEvents.refreshFamilyRevoked,
      data: { reason: 'authorization_code_reuse', refreshHandles: [handleOf(String(first.json().refresh_token))] },
    });
    // The revocation relay publishes it as one message on iam.revocations.
    const message = revocationMessage({
      ...revocations[0],
      id: randomUUID(),
      position: 1n,
      recordedAt: new Date(),
    } as unknown as RecordedEvent);
    expect(message?.value).toMatchObject({ data: { handles: expect.arrayContaining([handleOf(accessToken)]) } });

    await eventually(
      async () => ((await introspect(rp, accessToken)).active === false ? true : undefined),
      5_000,
      'the replayed code’s access token to be inactive',
    );
    const refresh = await t.token.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: String(first.json().refresh_token) },
      basic(rp),
    );
    expect(refresh.json().error).toBe('invalid_grant');

    // Replaying again revokes nothing more.
    expect((await redeem(rp, { code, code_verifier: verifier })).json().error).toBe('invalid_grant');
    expect(await revocationsOf(handleOf(accessToken))).toHaveLength(1);
  });

  it('without offline_access issues no refresh token, and a replay revokes the lone access token (JWT)', async () => {
    const { code, verifier } = await issueCode(jwtRp.id, { scope: 'openid orders_read' });
    const first = await redeem(jwtRp, { code, code_verifier: verifier });
    expect(first.status).toBe(200);
    expect(first.json().refresh_token).toBeUndefined();
    const jwt = String(first.json().access_token);
    expect(decodeProtectedHeader(jwt).typ).toBe('at+jwt');
    const jwks = (await t.token.json('GET', '/jwks', undefined)).json() as unknown as JSONWebKeySet;
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: t.issuer, typ: 'at+jwt' });
    expect(payload).toMatchObject({ client_id: jwtRp.id, scope: 'openid orders_read', account_nr: ACCOUNT_NR });

    expect((await redeem(jwtRp, { code, code_verifier: verifier })).json().error).toBe('invalid_grant');
    expect(await revocationsOf(handleOf(jwt))).toEqual([
      expect.objectContaining({
        type: TokenEvents.accessTokenRevoked,
        data: expect.objectContaining({ reason: 'authorization_code_reuse' }),
      }),
    ]);
    await eventually(
      async () => ((await introspect(jwtRp, jwt)).active === false ? true : undefined),
      5_000,
      'the JWT to be inactive',
    );
  });

  it('lets exactly one of two concurrent redemptions win; the loser is a replay', async () => {
    const { code, verifier } = await issueCode(rp.id);
    const answers = await Promise.all([
      redeem(rp, { code, code_verifier: verifier }),
      redeem(rp, { code, code_verifier: verifier }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const loser = answers.find((a) => a.status === 400)!;
    expect(loser.json().error).toBe('invalid_grant');
    const winner = answers.find((a) => a.status === 200)!;
    const events = await codeStream(code);
    expect(events.filter((e) => e.type === AuthorizationEvents.codeRedeemed)).toHaveLength(1);
    // RFC 9700 §4.5: the tokens of a code used twice are revoked.
    expect(await revocationsOf(handleOf(String(winner.json().access_token)))).toHaveLength(1);
  });

  it('refuses bad redemptions with invalid_grant, leaving the code unspent', async () => {
    const { code, verifier } = await issueCode(rp.id);
    const other = await register({ grant_types: ['authorization_code'], redirect_uris: [REDIRECT], scope: 'openid' });
    const cases: [string, Promise<{ status: number; json(): Record<string, unknown> }>][] = [
      ['PKCE mismatch', redeem(rp, { code, code_verifier: randomBytes(48).toString('base64url') })],
      ['missing verifier', redeem(rp, { code })],
      ['wrong redirect_uri', redeem(rp, { code, code_verifier: verifier, redirect_uri: `${REDIRECT}/` })],
      ['another client', redeem(other, { code, code_verifier: verifier })],
      [
        'unknown code',
        redeem(rp, { code: `tsr_ac_${randomBytes(32).toString('base64url')}`, code_verifier: verifier }),
      ],
      ['not a code', redeem(rp, { code: 'tsr_at_whatever', code_verifier: verifier })],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      expect([what, res.status, res.json().error]).toEqual([what, 400, 'invalid_grant']);
    }
    const malformed = await redeem(rp, { code, code_verifier: 'too-short' });
    expect(malformed.json().error).toBe('invalid_request');
    expect((await redeem(rp, { code_verifier: verifier })).json().error).toBe('invalid_request');
    expect((await codeStream(code)).map((e) => e.type)).toEqual([AuthorizationEvents.codeIssued]);
    // Still redeemable by its client with the right verifier.
    expect((await redeem(rp, { code, code_verifier: verifier })).status).toBe(200);

    const expired = await issueCode(rp.id, { expiresAt: new Date(Date.now() - 1_000).toISOString() });
    const late = await redeem(rp, { code: expired.code, code_verifier: expired.verifier });
    expect(late.json().error).toBe('invalid_grant');
  });

  it('satisfies openid-client as the relying party: discovery, code + PKCE + nonce + iss, ID token, refresh', async () => {
    // The certified client library over the app's HTTP stack (Fastify inject instead of a socket).
    const viaInject: oidc.CustomFetch = async (url, options) => {
      const target = new URL(url);
      const res = await t.token.request({
        method: options.method,
        url: `${target.pathname}${target.search}`,
        headers: options.headers,
        ...(options.body !== undefined && options.body !== null ? { payload: String(options.body) } : {}),
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, String(v));
      return new Response(res.body, { status: res.status, headers });
    };
    const config = await oidc.discovery(new URL(t.issuer), rp.id, undefined, oidc.ClientSecretBasic(rp.secret), {
      [oidc.customFetch]: viaInject,
    });
    config[oidc.customFetch] = viaInject;
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const { code, verifier, data } = await issueCode(rp.id, { nonce });
    const callback = new URL(REDIRECT);
    callback.search = new URLSearchParams({ code, state, iss: t.issuer }).toString();
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ iss: t.issuer, sub: data.sub, aud: rp.id, nonce, email: EMAIL });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()).toMatchObject({ sub: data.sub, aud: rp.id });
    await expect(
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('redeems for a public client that proves possession with PKCE', async () => {
    const { code, verifier } = await issueCode(publicRp, { scope: 'openid' });
    const res = await t.token.form('/oauth/token', {
      grant_type: 'authorization_code',
      client_id: publicRp,
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    });
    expect(res.status).toBe(200);
    expect(res.json().id_token).toEqual(expect.any(String));
  });

  it('refuses a code whose scope requires a claim the user lacks (DESIGN §5), and spends nothing', async () => {
    const { code, verifier } = await issueCode(rp.id, {}, { idToken: {}, accessToken: {} });
    const res = await redeem(rp, { code, code_verifier: verifier });
    expect(res.json().error).toBe('invalid_scope');
    expect((await codeStream(code)).map((e) => e.type)).toEqual([AuthorizationEvents.codeIssued]);
  });

  it('binds the audience to the resources the authorization request named (RFC 8707 §2.2), else invalid_target', async () => {
    const apiA = `https://orders-${randomUUID()}.example`;
    const apiB = `https://billing-${randomUUID()}.example`;
    // Its registration allows both APIs: only the authorization decides which one a code is for.
    const multi = await register({
      grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      redirect_uris: [REDIRECT],
      scope: 'openid orders_read',
      token_exchange_policy: { [apiA]: 'orders_read', [apiB]: 'orders_read' },
    });
    const audOf = async (accessToken: string) =>
      (await loggedEvents()).find(
        (e) => e.type === TokenEvents.accessTokenIssued && e.data.handle === handleOf(accessToken),
      )?.data.aud;

    const bound = await issueCode(multi.id, { scope: 'openid orders_read', resources: [apiA] });
    for (const resource of [apiB, t.issuer]) {
      const res = await redeem(multi, { code: bound.code, code_verifier: bound.verifier, resource });
      expect([resource, res.status, res.json().error]).toEqual([resource, 400, 'invalid_target']);
    }
    expect((await codeStream(bound.code)).map((e) => e.type)).toEqual([AuthorizationEvents.codeIssued]);
    const ok = await redeem(multi, { code: bound.code, code_verifier: bound.verifier, resource: apiA });
    expect(ok.status).toBe(200);
    expect(await audOf(String(ok.json().access_token))).toEqual([apiA]);

    // Named at the authorization only: that one resource.
    const implicit = await issueCode(multi.id, { scope: 'openid orders_read', resources: [apiA] });
    const res = await redeem(multi, { code: implicit.code, code_verifier: implicit.verifier });
    expect(await audOf(String(res.json().access_token))).toEqual([apiA]);

    // Named at neither step: the default audience, as before; at the token request only: refused.
    const plain = await issueCode(multi.id, { scope: 'openid orders_read' });
    const unbound = await redeem(multi, { code: plain.code, code_verifier: plain.verifier, resource: apiB });
    expect(unbound.json().error).toBe('invalid_target');
    const byDefault = await redeem(multi, { code: plain.code, code_verifier: plain.verifier });
    expect(await audOf(String(byDefault.json().access_token))).toEqual([t.issuer]);
  });
});
