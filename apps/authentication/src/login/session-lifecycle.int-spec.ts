import { randomBytes } from 'node:crypto';
import { SessionEvents, sessionStream } from '@tessera/contracts';
import type { Answer } from '../../../token/test/token-test-app';
import { type AuthorizationFlowTestApp, startAuthorizationFlowTestApp } from '../../test/authorization-flow-test-app';
import { totpCodeAt } from '../mfa/totp';
import { SCIM_USER_SCHEMA } from '../scim/scim.schemas';
import { bearerHandle, generateBearerValue, SESSION_PREFIX } from '../sessions/bearer-value';

const PASSWORD = 'correct horse battery staple';

/** A browser: a cookie jar over Fastify inject (consent paths go to the consent app). */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(private readonly t: AuthorizationFlowTestApp) {}

  private store(res: Answer): Answer {
    for (const line of [res.headers['set-cookie'] ?? []].flat() as string[]) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(eq + 1) === '' || /Max-Age=0/.test(line)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  private headers(): Record<string, string> {
    return this.jar.size === 0 ? {} : { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private app(url: string) {
    return url.startsWith('/consent') ? this.t.consent : this.t.authentication;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.store(await this.app(url).request({ method: 'GET', url, headers: { ...this.headers(), ...headers } }));
  }

  async post(url: string, form: Record<string, string>): Promise<Answer> {
    return this.store(
      await this.app(url).request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers() },
        payload: new URLSearchParams(form).toString(),
      }),
    );
  }
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1];

describe.each(['standalone', 'distributed'] as const)('sign-in sessions: lifecycle (%s)', (mode) => {
  let t: AuthorizationFlowTestApp;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  async function createUser(): Promise<{ id: string; userName: string }> {
    const userName = `u${randomBytes(6).toString('hex')}@example.com`;
    const res = await t.authentication.request({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...admin(), 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ schemas: [SCIM_USER_SCHEMA], userName, password: PASSWORD }),
    });
    expect(res.status).toBe(201);
    return { id: res.json<{ id: string }>().id, userName };
  }

  async function signIn(browser: Browser, userName: string, next = '/account/mfa'): Promise<string> {
    const page = await browser.get(`/login?next=${encodeURIComponent(next)}`);
    const res = await browser.post('/login', { username: userName, password: PASSWORD, csrf: csrfOf(page.body), next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(next);
    return browser.jar.get('tessera_session')!;
  }

  /** A session started `minutesAgo` for `sub`, appended to the log as the login step would. */
  async function oldSession(sub: string, minutesAgo: number): Promise<string> {
    const value = generateBearerValue(SESSION_PREFIX);
    const at = new Date(Date.now() - minutesAgo * 60_000);
    await t.store.append(sessionStream(bearerHandle(value)), 0, [
      {
        type: SessionEvents.started,
        data: {
          sessionHandle: bearerHandle(value),
          sub,
          authTime: at.toISOString(),
          amr: ['pwd'],
          acr: 'urn:tessera:acr:pwd',
          expiresAt: new Date(at.getTime() + 12 * 3600_000).toISOString(),
        },
        metadata: { actor: `user:${sub}` },
      },
    ]);
    return value;
  }

  beforeAll(async () => {
    t = await startAuthorizationFlowTestApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /login?error=<a prototype property> with the plain form, not a 500', async () => {
    const browser = new Browser(t);
    for (const error of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await browser.get(`/login?error=${error}`);
      expect(res.status).toBe(200);
      expect(res.body).toContain('name="password"');
    }
  });

  it('ends the previous session of the browser on a new sign-in', async () => {
    const { userName } = await createUser();
    const browser = new Browser(t);
    const first = await signIn(browser, userName);
    const second = await signIn(browser, userName);
    expect(second).not.toBe(first);
    const events = await t.store.readStream(sessionStream(bearerHandle(first)));
    expect(events.map((e) => e.type)).toEqual([SessionEvents.started, SessionEvents.ended]);
    // The replaced cookie no longer signs anyone in.
    const stale = await t.authentication.request({
      method: 'GET',
      url: '/account/mfa',
      headers: { cookie: `tessera_session=${first}` },
    });
    expect(stale.headers.location).toBe('/login?next=%2Faccount%2Fmfa');
  });

  it('asks to sign in again before TOTP enrollment when the sign-in is older than 5 minutes', async () => {
    const { id } = await createUser();
    const browser = new Browser(t);
    browser.jar.set('tessera_session', await oldSession(id, 10));
    const page = await browser.get('/account/mfa');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Faccount%2Fmfa&reauth=1');
    const login = await browser.get('/login?next=%2Faccount%2Fmfa');
    const confirm = await browser.post('/account/mfa/totp', { code: '123456', csrf: csrfOf(login.body) });
    expect(confirm.headers.location).toBe('/login?next=%2Faccount%2Fmfa&reauth=1');
    const secrets = await t.db.query('SELECT 1 FROM authentication.totp_secrets WHERE user_id = $1', [id]);
    expect(secrets).toHaveLength(0);
    // A recent sign-in may enroll.
    browser.jar.set('tessera_session', await oldSession(id, 1));
    expect((await browser.get('/account/mfa')).status).toBe(200);
  });

  it('deleting a user forgets their TOTP seed and recovery codes, and signs them out everywhere', async () => {
    const { id, userName } = await createUser();
    const browser = new Browser(t);
    const cookie = await signIn(browser, userName);
    const enroll = await browser.get('/account/mfa');
    const uri = /href="(otpauth:\/\/totp\/[^"]+)"/.exec(enroll.body)![1].replace(/&amp;/g, '&');
    const secret = new URL(uri).searchParams.get('secret')!;
    const confirmed = await browser.post('/account/mfa/totp', {
      code: totpCodeAt(secret, new Date()),
      csrf: csrfOf(enroll.body),
    });
    expect(confirmed.status).toBe(200);
    const count = async (table: string) =>
      (await t.db.query(`SELECT 1 FROM authentication.${table} WHERE user_id = $1`, [id])).length;
    expect(await count('totp_secrets')).toBe(1);
    expect(await count('recovery_codes')).toBe(10);
    expect((await browser.get('/consents')).status).toBe(200);

    const deleted = await t.authentication.request({ method: 'DELETE', url: `/scim/v2/Users/${id}`, headers: admin() });
    expect(deleted.status).toBe(204);
    expect(await count('totp_secrets')).toBe(0);
    expect(await count('recovery_codes')).toBe(0);
    // The session stream was never ended, but its user is gone: no one is signed in.
    expect(browser.jar.get('tessera_session')).toBe(cookie);
    expect((await browser.get('/consents')).status).toBe(401);
    expect((await browser.get('/account/mfa')).headers.location).toBe('/login?next=%2Faccount%2Fmfa');
    const logout = await browser.get('/logout');
    expect(logout.body).not.toContain('Do you want to sign out?');
  });

  it('answers a logout POST without the session cookie (cross-site) with a GET of the same request', async () => {
    const res = await t.authentication.request({
      method: 'POST',
      url: '/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ id_token_hint: 'h.i.nt', state: 's1', client_id: 'app', csrf: 'x' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/logout?id_token_hint=h.i.nt&state=s1&client_id=app');
  });
});
