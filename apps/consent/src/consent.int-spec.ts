import { createHash, randomBytes } from 'node:crypto';
import {
  AuthorizationEvents,
  authorizationRequestStream,
  ConsentEvents,
  SessionEvents,
  sessionStream,
  TokenEvents,
  UserEvents,
  userStream,
} from '@tessera/contracts';
import { type CloudEvent, KafkaBus, type MessageBus, type Subscription } from '@tessera/messaging';
import { kafkaBrokers, uniqueSuffix } from '../../../test/support/infra';
import { tokenHandle } from '../../token/src/tokens/opaque-token';
import { TokenIssuer } from '../../token/src/tokens/token-issuer.service';
import { type ConsentTestApp, startConsentTestApp } from '../test/consent-test-app';
import { eventually, basic, type TestClient } from '../../../test/support/oauth-helpers';

jest.setTimeout(120_000);

// Issue 5 §8 on each mode: the consent page for a signed-in user, grants, the
// user's /consents, and revoking a consent revoking every grant it allowed —
// inactive at introspection, one message on iam.revocations (DESIGN §5).

type Client = TestClient;

const field = (body: string, name: string): string => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  if (!match) throw new Error(`no ${name} field`);
  return match[1];
};

describe.each(['distributed', 'standalone'] as const)('consent (%s)', (mode) => {
  let t: ConsentTestApp;
  let consumerBus: MessageBus;
  let subscription: Subscription;
  const received: CloudEvent[] = [];
  let client: Client;
  const sub = `user-${uniqueSuffix()}`;
  const session = `tsr_ses_${randomBytes(32).toString('base64url')}`;
  const cookie = { cookie: `other=1; tessera_session=${session}` };

  /** authentication's part, appended directly: an active user, signed in, and a pending authorization request. */
  async function signIn(): Promise<void> {
    const handle = createHash('sha256').update(session).digest('base64url');
    const now = Date.now();
    // Only `active` is read by the consent service (the personal data would be sealed).
    await t.store.append(userStream(sub), 0, [{ type: UserEvents.created, data: { userId: sub, active: true } }]);
    await t.store.append(sessionStream(handle), 0, [
      {
        type: SessionEvents.started,
        data: {
          sessionHandle: handle,
          sub,
          authTime: new Date(now).toISOString(),
          amr: ['pwd'],
          acr: 'urn:tessera:acr:pwd',
          expiresAt: new Date(now + 3_600_000).toISOString(),
        },
      },
    ]);
  }
  async function authorizationRequest(scope: string): Promise<string> {
    const requestId = randomBytes(16).toString('base64url');
    const now = Date.now();
    await t.store.append(authorizationRequestStream(requestId), 0, [
      {
        type: AuthorizationEvents.requestReceived,
        data: {
          requestId,
          clientId: client.id,
          redirectUri: 'https://app.example/cb',
          scope,
          state: 's',
          codeChallenge: 'x'.repeat(43),
          codeChallengeMethod: 'S256',
          receivedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 600_000).toISOString(),
        },
      },
    ]);
    return requestId;
  }

  /** What the authorization_code grant issues: tokens recording the consent that allowed them. */
  const issueWithConsent = (consentId: string | undefined, family: boolean) =>
    t.token.get<TokenIssuer>(TokenIssuer).issue({
      clientId: client.id,
      format: 'reference',
      sub,
      scopes: ['openid', 'profile'],
      audience: [t.issuer],
      refreshToken: family,
      ...(consentId ? { consentId } : {}),
      meta: { now: new Date(), actor: `user:${sub}` },
    });
  const introspect = async (token: string) => {
    const res = await t.introspection.form('/oauth/introspect', { token }, basic(client));
    expect(res.status).toBe(200);
    return res.json<{ active: boolean }>();
  };

  beforeAll(async () => {
    t = await startConsentTestApp(mode);
    consumerBus = mode === 'distributed' ? new KafkaBus({ brokers: kafkaBrokers, clientId: 'int-consent' }) : t.bus;
    subscription = await consumerBus.subscribe(
      t.revocationsTopic,
      { groupId: `int-consent-${uniqueSuffix()}`, fromBeginning: true },
      async (event) => {
        received.push(event);
      },
    );
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const scope = await t.token.json(
      'PUT',
      '/admin/scopes/orders_read',
      { description: 'Read your <orders>', claims: ['account_nr'] },
      admin,
    );
    expect(scope.status).toBe(200);
    const reg = await t.token.json(
      'POST',
      '/oauth/register',
      {
        client_name: 'Acme <Shop>',
        grant_types: ['client_credentials', 'refresh_token'],
        scope: 'openid profile orders_read',
      },
      admin,
    );
    expect(reg.status).toBe(201);
    client = { id: String(reg.json().client_id), secret: String(reg.json().client_secret) };
    await signIn();
  });
  afterAll(async () => {
    await subscription?.stop();
    if (mode === 'distributed') await consumerBus?.close();
    await t?.close();
  });

  it('asks a signed-in user, records the scopes granted, lists and revokes the consent with all its grants', async () => {
    const requestId = await authorizationRequest('openid profile orders_read');

    // No session: to the login page of this request.
    const anonymous = await t.consent.request({ method: 'GET', url: `/consent?request=${requestId}` });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?request=${requestId}`);
    const unknown = await t.consent.request({ method: 'GET', url: '/consent?request=nope', headers: cookie });
    expect(unknown.status).toBe(400);

    // The page: client name, each scope's description and the claims it releases, escaped.
    const page = await t.consent.request({ method: 'GET', url: `/consent?request=${requestId}`, headers: cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('Acme &lt;Shop&gt;');
    expect(page.body).not.toContain('<Shop>');
    expect(page.body).toContain('Read your &lt;orders&gt;');
    expect(page.body).toContain('Shares: account_nr');
    expect(page.body).toContain('Your basic profile');
    expect(page.body).toContain('given_name');
    const csrf = field(page.body, 'csrf');

    // CSRF: a forged form changes nothing.
    const forged = await t.consent.form(
      '/consent',
      { request: requestId, csrf: 'forged', scope: ['orders_read'], decision: 'allow' },
      cookie,
    );
    expect(forged.status).toBe(403);
    const noCookie = await t.consent.form('/consent', { request: requestId, csrf, decision: 'allow' });
    expect(noCookie.status).toBe(403);
    expect((await t.loggedEvents()).filter((e) => e.type === ConsentEvents.granted)).toHaveLength(0);

    // Grant some: orders_read, not profile (openid always).
    const granted = await t.consent.form(
      '/consent',
      { request: requestId, csrf, scope: ['orders_read'], decision: 'allow' },
      cookie,
    );
    expect(granted.status).toBe(303);
    expect(granted.headers.location).toBe(`/oauth/authorize/continue?request=${requestId}`);
    const grants = (await t.loggedEvents()).filter((e) => e.type === ConsentEvents.granted);
    expect(grants).toHaveLength(1);
    expect(grants[0].data).toMatchObject({ sub, clientId: client.id, scopes: ['openid', 'orders_read'], requestId });
    const consentId = String(grants[0].data.consentId);

    // Deny on another request: nothing appended, back to authentication with consent=denied.
    const second = await authorizationRequest('openid profile');
    const secondPage = await t.consent.request({ method: 'GET', url: `/consent?request=${second}`, headers: cookie });
    const denied = await t.consent.form(
      '/consent',
      { request: second, csrf: field(secondPage.body, 'csrf'), decision: 'deny' },
      cookie,
    );
    expect(denied.status).toBe(303);
    expect(denied.headers.location).toBe(`/oauth/authorize/continue?request=${second}&consent=denied`);
    expect((await t.loggedEvents()).filter((e) => e.type === ConsentEvents.granted)).toHaveLength(1);

    // /consents lists it (JSON and HTML) once the read model has it.
    const listed = await eventually(
      async () => {
        const res = await t.consent.request({
          method: 'GET',
          url: '/consents',
          headers: { ...cookie, accept: 'application/json' },
        });
        const consents = res.json<{ consents: Record<string, unknown>[] }>().consents;
        return consents.length > 0 ? consents : undefined;
      },
      10_000,
      '/consents to list the consent',
    );
    expect(listed).toEqual([
      {
        consent_id: consentId,
        client_id: client.id,
        client_name: 'Acme <Shop>',
        scopes: ['openid', 'orders_read'],
        granted_at: grants[0].data.grantedAt,
      },
    ]);
    expect((await t.consent.request({ method: 'GET', url: '/consents' })).status).toBe(401);
    const html = await t.consent.request({ method: 'GET', url: '/consents', headers: cookie });
    expect(html.status).toBe(200);
    expect(html.body).toContain('Acme &lt;Shop&gt;');
    expect(html.body).toContain(`action="/consents/${consentId}/revoke"`);
    const revokeCsrf = field(html.body, 'csrf');

    // Grants the consent allowed: a refresh family (rotated once) and a lone access token; one without the consent.
    const fam = await issueWithConsent(consentId, true);
    const rotated = await t.token.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: fam.refresh_token! },
      basic(client),
    );
    expect(rotated.status).toBe(200);
    const rotatedAccess = String(rotated.json().access_token);
    const rotatedRefresh = String(rotated.json().refresh_token);
    const lone = await issueWithConsent(consentId, false);
    const unrelated = await issueWithConsent(undefined, false);
    for (const token of [fam.access_token, rotatedAccess, lone.access_token, unrelated.access_token]) {
      expect(await introspect(token)).toMatchObject({ active: true });
    }

    // Revoke: CSRF first, then the real form.
    const forgedRevoke = await t.consent.form(`/consents/${consentId}/revoke`, { csrf: 'x' }, cookie);
    expect(forgedRevoke.status).toBe(403);
    const revoked = await t.consent.form(`/consents/${consentId}/revoke`, { csrf: revokeCsrf }, cookie);
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe('/consents');
    const log = await t.loggedEvents();
    expect(log.filter((e) => e.type === ConsentEvents.revoked).map((e) => e.data)).toEqual([
      expect.objectContaining({ consentId, sub, clientId: client.id }),
    ]);
    const gone = await t.consent.request({
      method: 'GET',
      url: '/consents',
      headers: { ...cookie, accept: 'application/json' },
    });
    expect(gone.json()).toEqual({ consents: [] });

    // The token service's reaction: ONE grants.revoked listing everything, per-stream revocations beside it.
    const cascade = await eventually(
      async () => (await t.loggedEvents()).find((e) => e.type === TokenEvents.grantsRevoked),
      20_000,
      'grants.revoked',
    );
    const expected = [fam.access_token, rotatedAccess, lone.access_token, fam.refresh_token!, rotatedRefresh]
      .map(tokenHandle)
      .sort();
    expect(cascade.streamId).toBe(`consentrevocation-${consentId}`);
    expect(cascade.data).toMatchObject({ consentId, sub, clientId: client.id, reason: 'consent_revoked' });
    expect(
      [...(cascade.data.refreshHandles as string[]), ...(cascade.data.accessTokenHandles as string[])].sort(),
    ).toEqual(expected);

    // Introspection's hot cache forgets them on the message, or at its revalidation (issue 4 §2).
    for (const token of [fam.access_token, rotatedAccess, lone.access_token]) {
      await eventually(
        async () => ((await introspect(token)).active === false ? true : undefined),
        10_000,
        'the token to be inactive at introspection',
      );
      expect(await introspect(token)).toEqual({ active: false });
    }
    expect(await introspect(unrelated.access_token)).toMatchObject({ active: true });
    const refreshAfter = await t.token.form(
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: rotatedRefresh },
      basic(client),
    );
    expect(refreshAfter.status).toBe(400);
    expect(refreshAfter.json()).toMatchObject({ error: 'invalid_grant' });

    // One message on iam.revocations with every handle, and no other for this cascade.
    const message = await eventually(
      async () => received.find((e) => (e.data as { reason?: string }).reason === 'consent_revoked'),
      60_000,
      'the consent revocation message',
    );
    expect(message).toMatchObject({ type: 'tessera.revocation.v1', subject: sub, id: cascade.id });
    expect((message.data as { handles: string[] }).handles.sort()).toEqual(expected);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received.filter((e) => e.subject === sub)).toHaveLength(1);
    expect((await t.loggedEvents()).filter((e) => e.type === TokenEvents.grantsRevoked)).toHaveLength(1);
  });
});
