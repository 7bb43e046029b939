import { createHash, randomBytes } from 'node:crypto';
import {
  AUTHORIZATION_CODE_CLAIMS_PURPOSE,
  AuthorizationEvents,
  type AuthorizationCodeIssuedData,
  consentIdOf,
  consentKey,
  SessionEvents,
  TokenEvents,
  accessTokenStream,
} from '@tessera/contracts';
import { openWithToken } from '@tessera/keys';
import type { Answer } from '../../../token/test/token-test-app';
import { type AuthorizationFlowTestApp, startAuthorizationFlowTestApp } from '../../test/authorization-flow-test-app';
import { totpCodeAt } from '../mfa/totp';
import { SCIM_CLAIMS_EXTENSION, SCIM_USER_SCHEMA } from '../scim/scim.schemas';

const REDIRECT = 'https://app.example/cb';
const LOGGED_OUT = 'https://app.example/logged-out';
const PASSWORD = 'correct horse battery staple';
const b64url = (b: Buffer) => b.toString('base64url');

/** A browser: a cookie jar over Fastify inject, following nothing by itself. */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(private readonly t: AuthorizationFlowTestApp) {}

  private store(res: Answer): Answer {
    const set = res.headers['set-cookie'];
    for (const line of [set ?? []].flat() as string[]) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0/.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  private cookie(): Record<string, string> {
    return this.jar.size === 0 ? {} : { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  /** The app serving a path (nginx routes by path in distributed mode). */
  private route(url: string) {
    return url.startsWith('/consent') ? this.t.consent : this.t.authentication;
  }

  async get(url: string): Promise<Answer> {
    return this.store(await this.route(url).request({ method: 'GET', url, headers: this.cookie() }));
  }

  async post(url: string, form: Record<string, string | string[]>): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    return this.store(
      await this.route(url).request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookie() },
        payload: body.toString(),
      }),
    );
  }
}

function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field in the page');
  return match[1];
}

function pkce() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

describe.each(['standalone', 'distributed'] as const)('authorization code flow: authentication side (%s)', (mode) => {
  let t: AuthorizationFlowTestApp;
  let clientId: string;
  const userName = `alice.${mode}@example.com`;
  let sub: string;

  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const authorizeUrl = (extra: Record<string, string> = {}) =>
    `/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'openid profile email orders_read',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      ...extra,
    }).toString()}`;

  async function createUser(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.authentication.request({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...admin(), 'content-type': 'application/scim+json' },
      payload: JSON.stringify({
        schemas: [SCIM_USER_SCHEMA, SCIM_CLAIMS_EXTENSION],
        userName: name,
        password: PASSWORD,
        ...extra,
      }),
    });
    expect(res.status).toBe(201);
    return res.json<{ id: string }>().id;
  }

  /** authorize → login page → password → continue; returns the browser and the request id. */
  async function signIn(browser: Browser, name = userName, url = authorizeUrl()) {
    const start = await browser.get(url);
    expect(start.status).toBe(303);
    const login = String(start.headers.location);
    expect(login).toMatch(/^\/login\?request=[A-Za-z0-9_-]{22}$/);
    const requestId = login.split('=')[1];
    const page = await browser.get(login);
    expect(page.status).toBe(200);
    const posted = await browser.post('/login', {
      username: name,
      password: PASSWORD,
      csrf: csrfOf(page.body),
      request: requestId,
    });
    expect(posted.status).toBe(303);
    return { requestId, posted, page };
  }

  /** After signIn: continue → the consent page → allow `scope` → continue; returns the code at the redirect URI. */
  async function consentToCode(
    browser: Browser,
    { requestId, posted }: { requestId: string; posted: { headers: Record<string, unknown> } },
    scope: string[],
  ): Promise<string> {
    const toConsent = await browser.get(String(posted.headers.location));
    const page = await browser.get(String(toConsent.headers.location));
    const allowed = await browser.post('/consent', {
      request: requestId,
      csrf: csrfOf(page.body),
      decision: 'allow',
      scope,
    });
    const done = await browser.get(String(allowed.headers.location));
    return new URL(String(done.headers.location)).searchParams.get('code')!;
  }

  beforeAll(async () => {
    t = await startAuthorizationFlowTestApp(mode);
    const scope = await t.token.request({
      method: 'PUT',
      url: '/admin/scopes/orders_read',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: JSON.stringify({ description: 'Read your orders', claims: ['account_nr'] }),
    });
    expect(scope.status).toBe(200);
    const reg = await t.token.request({
      method: 'POST',
      url: '/oauth/register',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: JSON.stringify({
        client_name: 'Shop',
        redirect_uris: [REDIRECT],
        post_logout_redirect_uris: [LOGGED_OUT],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'openid profile email orders_read',
      }),
    });
    expect(reg.status).toBe(201);
    clientId = reg.json<{ client_id: string }>().client_id;
    sub = await createUser(userName, {
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: userName, primary: true }],
      [SCIM_CLAIMS_EXTENSION]: { account_nr: 'acct-27182' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs authorize → login → consent → code with state and iss; the code event holds no personal data in clear', async () => {
    const browser = new Browser(t);
    const { requestId, posted, page } = await signIn(browser);

    // Pages: CSP, no referrer, no caching, labels and autocomplete, the client's origin as a form target.
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' https://app.example");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<label for="username">');
    expect(page.body).toContain('autocomplete="username"');
    expect(page.body).toContain('autocomplete="current-password"');

    // The session cookie: HttpOnly; Secure (https issuer); SameSite=Lax; Path=/.
    const cookies = [posted.headers['set-cookie']].flat().map(String);
    const session = cookies.find((c) => c.startsWith('tessera_session='))!;
    expect(session).toMatch(/^tessera_session=tsr_ses_[A-Za-z0-9_-]{43}; /);
    expect(session).toContain('HttpOnly');
    expect(session).toContain('Secure');
    expect(session).toContain('SameSite=Lax');
    expect(session).toContain('Path=/');
    expect(posted.headers.location).toBe(`/oauth/authorize/continue?request=${requestId}`);

    // Consent is needed for profile, email, orders_read: the consent service's page.
    const toConsent = await browser.get(String(posted.headers.location));
    expect(toConsent.headers.location).toBe(`/consent?request=${requestId}`);
    const consentPage = await browser.get(String(toConsent.headers.location));
    expect(consentPage.status).toBe(200);
    const granted = await browser.post('/consent', {
      request: requestId,
      csrf: csrfOf(consentPage.body),
      decision: 'allow',
      scope: ['openid', 'profile', 'email', 'orders_read'],
    });
    expect(granted.headers.location).toBe(`/oauth/authorize/continue?request=${requestId}`);

    const done = await browser.get(String(granted.headers.location));
    expect(done.status).toBe(303);
    const location = new URL(String(done.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('iss')).toBe(t.issuer);
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^tsr_ac_[A-Za-z0-9_-]{43}$/);

    const events = await t.loggedEvents();
    const handle = b64url(createHash('sha256').update(code).digest());
    const issued = events.find((e) => e.type === AuthorizationEvents.codeIssued && e.data.handle === handle);
    expect(issued?.streamId).toBe(`authcode-${handle}`);
    const data = issued!.data as unknown as AuthorizationCodeIssuedData;
    expect(data).toMatchObject({
      clientId,
      redirectUri: REDIRECT,
      codeChallengeMethod: 'S256',
      scope: 'openid profile email orders_read',
      sub,
      nonce: 'n-1',
      amr: ['pwd'],
      acr: 'urn:tessera:acr:pwd',
      consentId: consentIdOf(consentKey(sub, clientId), 1),
    });
    expect(Date.parse(data.expiresAt) - Date.parse(data.issuedAt)).toBe(60_000);
    // No personal data, no code value anywhere in the log of this flow.
    const flowEvents = JSON.stringify(events.filter((e) => /^(authrequest|authcode|session)-/.test(e.streamId)));
    for (const secret of [userName, 'Alice', 'Liddell', 'acct-27182', code, PASSWORD]) {
      expect(flowEvents).not.toContain(secret);
    }
    // Whoever holds the code opens the claims.
    const claims = openWithToken<{ idToken: Record<string, unknown>; accessToken: Record<string, unknown> }>(
      code,
      AUTHORIZATION_CODE_CLAIMS_PURPOSE,
      data.sealedClaims,
    );
    expect(claims.idToken).toMatchObject({ email: userName, given_name: 'Alice', family_name: 'Liddell' });
    expect(claims.accessToken).toEqual({ account_nr: 'acct-27182' });

    // One request, one code.
    const again = await browser.get(`/oauth/authorize/continue?request=${requestId}`);
    expect(again.status).toBe(400);
    expect(again.headers.location).toBeUndefined();

    // Signed in and consented: the next request goes straight to the redirect URI.
    const silent = await browser.get(authorizeUrl({ prompt: 'none', state: 'st-2' }));
    const silentUrl = new URL(String(silent.headers.location));
    expect(silentUrl.searchParams.get('code')).toMatch(/^tsr_ac_/);
    expect(silentUrl.searchParams.get('state')).toBe('st-2');
  });

  it('issues a code for the scopes the user chose on the consent page, and access_denied when denied', async () => {
    const erin = `erin.${mode}@example.com`;
    await createUser(erin, { [SCIM_CLAIMS_EXTENSION]: { account_nr: 'acct-erin' } });
    const browser = new Browser(t);
    const code = await consentToCode(browser, await signIn(browser, erin), ['openid', 'profile']);
    const handle = b64url(createHash('sha256').update(code).digest());
    const issued = (await t.loggedEvents()).find((e) => e.streamId === `authcode-${handle}`)!;
    expect(issued.data.scope).toBe('openid profile');
    const claims = openWithToken<{ accessToken: Record<string, unknown> }>(
      code,
      AUTHORIZATION_CODE_CLAIMS_PURPOSE,
      (issued.data as unknown as AuthorizationCodeIssuedData).sealedClaims,
    );
    expect(claims.accessToken).toEqual({});

    // orders_read is still not granted: the next request asks again; "deny" → access_denied at the redirect URI.
    const again = await browser.get(authorizeUrl({ state: 'st-deny' }));
    const askAgain = String(again.headers.location);
    expect(askAgain).toMatch(/^\/consent\?request=/);
    const page2 = await browser.get(askAgain);
    const denied = await browser.post('/consent', {
      request: askAgain.split('=')[1],
      csrf: csrfOf(page2.body),
      decision: 'deny',
    });
    const refused = await browser.get(String(denied.headers.location));
    const url = new URL(String(refused.headers.location));
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('st-deny');
    expect(url.searchParams.get('iss')).toBe(t.issuer);
  });

  it('redeems the code at the token endpoint (PKCE); /userinfo answers for the access token; the ID token logs out to the registered URI', async () => {
    const frank = `frank.${mode}@example.com`;
    const frankId = await createUser(frank, { emails: [{ value: frank, primary: true }] });
    const { verifier, challenge } = pkce();
    const browser = new Browser(t);
    const signedIn = await signIn(
      browser,
      frank,
      authorizeUrl({ code_challenge: challenge, scope: 'openid email', state: 'st-f' }),
    );
    const code = await consentToCode(browser, signedIn, ['openid', 'email']);

    const token = await t.token.request({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: clientId,
        code_verifier: verifier,
      }).toString(),
    });
    expect(token.status).toBe(200);
    const body = token.json<{ access_token: string; id_token: string }>();

    const info = await t.authentication.request({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(info.status).toBe(200);
    expect(info.json()).toEqual({ sub: frankId, email: frank, email_verified: false });

    // RP-initiated logout with the ID token as hint: no confirmation, back to the registered URI with state.
    const hint = new URLSearchParams({
      id_token_hint: body.id_token,
      post_logout_redirect_uri: LOGGED_OUT,
      state: 'bye',
    });
    let out = await browser.get(`/logout?${hint.toString()}`);
    // The key that signed the ID token reaches this service's read model through the runner.
    for (let i = 0; i < 100 && out.status !== 303; i++) {
      await new Promise((r) => setTimeout(r, 100));
      out = await browser.get(`/logout?${hint.toString()}`);
    }
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`${LOGGED_OUT}?state=bye`);
    expect(browser.jar.has('tessera_session')).toBe(false);
  });

  it('records resource indicators on the request and the code, and the token request is bound to them (RFC 8707)', async () => {
    const bad = await new Browser(t).get(`${authorizeUrl({ state: 'st-r' })}&resource=relative%2Fpath`);
    const refused = new URL(String(bad.headers.location));
    expect(`${refused.origin}${refused.pathname}`).toBe(REDIRECT);
    expect(refused.searchParams.get('error')).toBe('invalid_target');
    expect(refused.searchParams.get('state')).toBe('st-r');
    expect(refused.searchParams.get('iss')).toBe(t.issuer);

    const grace = `grace.${mode}@example.com`;
    await createUser(grace);
    const { verifier, challenge } = pkce();
    const api = 'https://api.example/orders';
    const browser = new Browser(t);
    const url = authorizeUrl({ code_challenge: challenge, scope: 'openid', state: 'st-g' });
    const resources = `&resource=${encodeURIComponent(t.issuer)}&resource=${encodeURIComponent(api)}`;
    const { requestId, posted } = await signIn(browser, grace, `${url}${resources}`);
    const received = (await t.loggedEvents()).find((e) => e.streamId === `authrequest-${requestId}`)!;
    expect(received.data.resources).toEqual([t.issuer, api]);
    let next = await browser.get(String(posted.headers.location));
    if (String(next.headers.location).startsWith('/consent')) {
      const page = await browser.get(String(next.headers.location));
      const allowed = await browser.post('/consent', {
        request: requestId,
        csrf: csrfOf(page.body),
        decision: 'allow',
        scope: ['openid'],
      });
      next = await browser.get(String(allowed.headers.location));
    }
    const code = new URL(String(next.headers.location)).searchParams.get('code')!;
    const handle = b64url(createHash('sha256').update(code).digest());
    const issued = (await t.loggedEvents()).find((e) => e.streamId === `authcode-${handle}`)!;
    expect(issued.data.resources).toEqual([t.issuer, api]);

    const redeem = (extra: Record<string, string>) =>
      t.token.request({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          client_id: clientId,
          code_verifier: verifier,
          ...extra,
        }).toString(),
      });
    // Not authorized at /oauth/authorize; then authorized but not the client's (its policy names no API).
    for (const resource of ['https://elsewhere.example', api]) {
      const res = await redeem({ resource });
      expect([resource, res.status, res.json<{ error: string }>().error]).toEqual([resource, 400, 'invalid_target']);
    }
    const ok = await redeem({ resource: t.issuer });
    expect(ok.status).toBe(200);
  });

  it('answers prompt=none without a session with login_required at the redirect URI (state, iss)', async () => {
    const res = await new Browser(t).get(authorizeUrl({ prompt: 'none', state: 'st-none' }));
    expect(res.status).toBe(303);
    const url = new URL(String(res.headers.location));
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(url.searchParams.get('error')).toBe('login_required');
    expect(url.searchParams.get('state')).toBe('st-none');
    expect(url.searchParams.get('iss')).toBe(t.issuer);
  });

  it.each([
    'https://app.example/cb/',
    'https://app.example/cb?x=1',
    'https://APP.example/cb',
    'https://app.example/cb#f',
  ])('never redirects to an unregistered redirect URI (%s): an HTML error page', async (uri) => {
    const res = await new Browser(t).get(authorizeUrl({ redirect_uri: uri }));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('refuses a request without PKCE or with plain PKCE at the redirect URI', async () => {
    const variants: Record<string, string>[] = [
      { code_challenge: '', code_challenge_method: '' },
      { code_challenge_method: 'plain' },
    ];
    for (const extra of variants) {
      const res = await new Browser(t).get(authorizeUrl(extra));
      const url = new URL(String(res.headers.location));
      expect(url.searchParams.get('error')).toBe('invalid_request');
      expect(url.searchParams.get('iss')).toBe(t.issuer);
    }
  });

  it('locks an account after 5 failures: same answer for an unknown user; the right password is refused while locked', async () => {
    const bob = `bob.${mode}@example.com`;
    await createUser(bob);
    const browser = new Browser(t);
    const page = await browser.get('/login');
    const csrf = csrfOf(page.body);
    const attempt = (username: string, password: string) => browser.post('/login', { username, password, csrf });
    const unknown = await attempt(`nobody.${mode}@example.com`, 'wrong password!!');
    const wrong = await attempt(bob, 'wrong password!!');
    expect(unknown.status).toBe(303);
    expect(wrong.headers.location).toBe(unknown.headers.location);
    expect(wrong.headers.location).toBe('/login?error=invalid');
    for (let i = 0; i < 4; i++) await attempt(bob, 'wrong password!!');
    const locked = await attempt(bob, PASSWORD);
    expect(locked.headers.location).toBe('/login?error=locked');
    expect(browser.jar.has('tessera_session')).toBe(false);
    // A missing CSRF token is refused before anything else.
    const noCsrf = await browser.post('/login', { username: bob, password: PASSWORD });
    expect(noCsrf.status).toBe(403);
  });

  it('enrolls TOTP (otpauth URI + QR), then asks for it at sign-in: acr mfa, amr pwd otp, no reuse, recovery codes once', async () => {
    const carol = `carol.${mode}@example.com`;
    const carolId = await createUser(carol);
    const browser = new Browser(t);
    const mfaPage = await browser.get('/account/mfa');
    expect(mfaPage.headers.location).toBe('/login?next=%2Faccount%2Fmfa');
    const login = await browser.get('/login?next=%2Faccount%2Fmfa');
    const signedIn = await browser.post('/login', {
      username: carol,
      password: PASSWORD,
      csrf: csrfOf(login.body),
      next: '/account/mfa',
    });
    expect(signedIn.headers.location).toBe('/account/mfa');

    const enroll = await browser.get('/account/mfa');
    expect(enroll.status).toBe(200);
    const uri = /href="(otpauth:\/\/totp\/[^"]+)"/.exec(enroll.body)![1].replace(/&amp;/g, '&');
    expect(enroll.body).toContain('src="data:image/png;base64,');
    const secret = new URL(uri).searchParams.get('secret')!;
    expect(JSON.stringify(await t.loggedEvents())).not.toContain(secret);

    const now = new Date();
    const wrong = await browser.post('/account/mfa/totp', { code: '000000', csrf: csrfOf(enroll.body) });
    expect(wrong.headers.location).toBe('/account/mfa?error=code');
    const confirmed = await browser.post('/account/mfa/totp', {
      code: totpCodeAt(secret, now),
      csrf: csrfOf(enroll.body),
    });
    expect(confirmed.status).toBe(200);
    const recovery = [...confirmed.body.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    expect(recovery).toHaveLength(10);
    const rows = await t.db.query<{ code_hash: Uint8Array }>(
      'SELECT code_hash FROM authentication.recovery_codes WHERE user_id = $1',
      [carolId],
    );
    expect(rows).toHaveLength(10);
    expect(JSON.stringify(await t.loggedEvents())).not.toContain(recovery[0]);

    // A new browser: password, then TOTP (the next step's code: the enrollment code's step is spent).
    const second = new Browser(t);
    const { posted } = await signIn(second, carol);
    expect(posted.headers.location).toBe('/login/totp');
    const totpPage = await second.get('/login/totp');
    expect(totpPage.body).toContain('autocomplete="one-time-code"');
    const code = totpCodeAt(secret, new Date(now.getTime() + 30_000));
    const ok = await second.post('/login/totp', { code, csrf: csrfOf(totpPage.body) });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toMatch(/^\/oauth\/authorize\/continue\?request=/);
    const started = (await t.loggedEvents()).filter((e) => e.type === SessionEvents.started && e.data.sub === carolId);
    expect(started.at(-1)!.data).toMatchObject({ amr: ['pwd', 'otp'], acr: 'urn:tessera:acr:mfa' });

    // The same code again, in a third browser: refused (no reuse); a recovery code works once.
    const third = new Browser(t);
    await signIn(third, carol);
    const page3 = await third.get('/login/totp');
    const reused = await third.post('/login/totp', { code, csrf: csrfOf(page3.body) });
    expect(reused.headers.location).toBe('/login/totp?error=code');
    const viaRecovery = await third.post('/login/totp', {
      recovery_code: recovery[0].toLowerCase(),
      csrf: csrfOf(page3.body),
    });
    expect(viaRecovery.headers.location).toMatch(/^\/oauth\/authorize\/continue/);
    const fourth = new Browser(t);
    await signIn(fourth, carol);
    const page4 = await fourth.get('/login/totp');
    const spent = await fourth.post('/login/totp', { recovery_code: recovery[0], csrf: csrfOf(page4.body) });
    expect(spent.headers.location).toBe('/login/totp?error=code');
  });

  it('answers /userinfo for a live access token with openid, and 401 invalid_token otherwise', async () => {
    const none = await t.authentication.request({ method: 'GET', url: '/userinfo' });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const bogus = await t.authentication.request({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: 'Bearer tsr_at_nope' },
    });
    expect(bogus.status).toBe(401);
    expect(String(bogus.headers['www-authenticate'])).toMatch(/^Bearer error="invalid_token"/);

    // The token endpoint's authorization_code grant is G3's: a token is appended as it would issue it.
    const issue = async (scope: string, expiresInMs: number) => {
      const value = `tsr_at_${b64url(randomBytes(32))}`;
      const handle = b64url(createHash('sha256').update(value).digest());
      const now = Date.now();
      await t.store.append(accessTokenStream(handle), 0, [
        {
          type: TokenEvents.accessTokenIssued,
          data: {
            handle,
            clientId,
            sub,
            scope,
            aud: [],
            format: 'reference',
            jti: handle,
            issuedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + expiresInMs).toISOString(),
          },
        },
      ]);
      return { value, handle };
    };
    const live = await issue('openid email', 60_000);
    const ok = await t.authentication.request({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: `Bearer ${live.value}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ sub, email: userName, email_verified: false });

    const noOpenid = await issue('email', 60_000);
    const expired = await issue('openid', -1);
    for (const token of [noOpenid, expired]) {
      const res = await t.authentication.request({
        method: 'GET',
        url: '/userinfo',
        headers: { authorization: `Bearer ${token.value}` },
      });
      expect(res.status).toBe(401);
    }
    await t.store.append(accessTokenStream(live.handle), 1, [
      {
        type: TokenEvents.accessTokenRevoked,
        data: { handle: live.handle, clientId, sub, reason: 'revoked_by_client', revokedAt: new Date().toISOString() },
      },
    ]);
    const revoked = await t.authentication.request({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: `Bearer ${live.value}` },
    });
    expect(revoked.status).toBe(401);
  });

  it('logs out: confirmation without a hint, session ended, cookie cleared; unregistered post_logout_redirect_uri refused', async () => {
    const browser = new Browser(t);
    await signIn(browser);
    const bad = await browser.get(
      `/logout?client_id=${clientId}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.location).toBeUndefined();
    const confirm = await browser.get('/logout');
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('action="/logout"');
    expect(browser.jar.has('tessera_session')).toBe(true);
    const done = await browser.post('/logout', { csrf: csrfOf(confirm.body) });
    expect(done.status).toBe(200);
    expect(browser.jar.has('tessera_session')).toBe(false);
    expect((await t.loggedEvents()).some((e) => e.type === SessionEvents.ended)).toBe(true);
    // Signed out: the next authorization request asks to sign in again.
    const after = await browser.get(authorizeUrl());
    expect(String(after.headers.location)).toMatch(/^\/login\?request=/);
  });
});
