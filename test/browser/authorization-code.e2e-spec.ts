import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { generateSync } from 'otplib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { allMigrations } from '../../apps/standalone/src/all-migrations';
import { type GatewayVars, NginxGateway, newGatewaySecret } from '../gateway/nginx-gateway';
import { freePort, ROOT, SpawnedApps, waitFor } from '../platform/spawned-process';
import { createPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

jest.setTimeout(240_000);

// Issue 5 "Tests": a REAL browser (Debian's Chromium driven by playwright-core; scripts/ensure-chromium.sh
// installs it, Playwright never downloads one) through the authorization code flow of the COMPILED
// services (`npm run build`), with openid-client as the relying party: discovery, PKCE S256 + state +
// nonce, password + TOTP sign-in, the consent page, the code grant with the ID token checked by
// openid-client, UserInfo; then the user revokes the consent at /consents and the access token is
// inactive at introspection. TOTP is enrolled through the /account/mfa page first. Both modes: the
// standalone process, and the distributed services behind the real nginx of deploy/nginx.
// Screenshots of every page are kept under test-artifacts/browser/ (gitignored).

const CHROMIUM = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');
const KEK = randomBytes(32).toString('base64');
const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const PASSWORD = 'correct horse battery staple';
const ACCOUNT_NR = `AC-${randomBytes(4).toString('hex')}`;
const SCOPE = 'openid profile email orders_read';
const TOTP_PERIOD_S = 30;
const insecure = { execute: [oidc.allowInsecureRequests] };

const apps = new SpawnedApps();
let browser: Browser | undefined;
let fixture: PlatformFixture | undefined;
let gateway: NginxGateway | undefined;
let callback: { server: Server; url: string } | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    // Installed from Debian when missing (as `npm test` does); the browser is never downloaded.
    const install = spawnSync('bash', [join(ROOT, 'scripts', 'ensure-chromium.sh')], { encoding: 'utf8' });
    if (install.status !== 0 || !existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing and scripts/ensure-chromium.sh failed:\n${install.stderr}`);
    }
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  callback = await startCallbackServer();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await apps.stopAll();
  await fixture?.drop();
  await new Promise((r) => callback?.server.close(r));
});

/** The relying party's redirect URI: a loopback page that answers 200 (and a framing probe, see below). */
async function startCallbackServer(): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/frame') {
      // Clickjacking probe: another site frames the login page, and (as a control) a page of its own.
      const target = (url.searchParams.get('src') ?? '').replace(/"/g, '');
      res.end(
        `<!doctype html><title>probe</title><iframe name="victim" src="${target}"></iframe>` +
          `<iframe name="control" src="/cb"></iframe>`,
      );
      return;
    }
    res.end('<!doctype html><title>relying party</title><p>back at the relying party</p>');
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${port}/cb` };
}

async function shot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The TOTP code of a time step (RFC 6238), by otplib as an authenticator app would compute it. */
const totpAt = (secret: string, step: number) =>
  generateSync({ secret, epoch: step * TOTP_PERIOD_S, period: TOTP_PERIOD_S });
const currentStep = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_S);

async function admin(issuer: string, method: string, path: string, body: unknown, type = 'application/json') {
  const res = await fetch(`${issuer}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The whole browser flow against one issuer (the standalone process, or nginx in front of the services). */
async function browserFlow(issuer: string, mode: string): Promise<void> {
  const name = (page: string) => `${mode}-${page}`;
  const userName = `alice.${mode}.${randomBytes(3).toString('hex')}@example.com`;
  const redirectUri = callback!.url;
  const rpOrigin = new URL(redirectUri).origin;

  // Setup through the public URL: a scope that releases a custom claim, a user (SCIM), a client (RFC 7591).
  const scope = await admin(issuer, 'PUT', '/admin/scopes/orders_read', {
    description: 'Read your orders',
    claims: ['account_nr'],
  });
  expect(scope.status).toBe(200);
  const user = await admin(
    issuer,
    'POST',
    '/scim/v2/Users',
    {
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:tessera:params:scim:schemas:extension:claims:2.0:User',
      ],
      userName,
      password: PASSWORD,
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: userName, primary: true }],
      'urn:tessera:params:scim:schemas:extension:claims:2.0:User': { account_nr: ACCOUNT_NR },
    },
    'application/scim+json',
  );
  expect(user.status).toBe(201);
  const sub = String(user.body.id);

  const server = new URL(issuer);
  const registered = await oidc.dynamicClientRegistration(
    server,
    {
      client_name: `Browser Shop ${mode}`,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCOPE,
    },
    oidc.ClientSecretBasic(),
    { ...insecure, initialAccessToken: ADMIN_TOKEN },
  );
  const client = registered.clientMetadata();
  const config = await oidc.discovery(
    server,
    client.client_id,
    undefined,
    oidc.ClientSecretBasic(String(client.client_secret)),
    insecure,
  );
  expect(config.serverMetadata()).toMatchObject({
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    userinfo_endpoint: `${issuer}/userinfo`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  });

  // 1. TOTP enrollment in a first browser session, through the real /account/mfa page.
  const enrolling = await browser!.newContext();
  let enrolledStep: number;
  let secret: string;
  try {
    const page = await enrolling.newPage();
    await page.goto(`${issuer}/account/mfa`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, name('mfa-login'));
    await page.fill('#username', userName);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${issuer}/account/mfa`), page.click('button[type=submit]')]);
    await page.locator('img[alt^="QR code"]').waitFor();
    await shot(page, name('mfa-enrollment'));
    const uri = await page.locator('a[href^="otpauth://totp/"]').getAttribute('href');
    expect(uri).toBeTruthy();
    secret = new URL(uri!).searchParams.get('secret')!;
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    enrolledStep = currentStep();
    await page.fill('#code', totpAt(secret, enrolledStep));
    await page.click('button[type=submit]');
    await page.locator('li code').first().waitFor();
    expect(await page.locator('li code').count()).toBe(10); // recovery codes, shown once
    await shot(page, name('mfa-recovery-codes'));
  } finally {
    await enrolling.close();
  }

  // 2. The relying party starts the flow: PKCE S256, state, nonce (openid-client).
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });

  const context: BrowserContext = await browser!.newContext();
  try {
    const page = await context.newPage();
    // A CSP violation (e.g. `form-action` blocking the redirect to the client) shows only here.
    const browserErrors: string[] = [];
    page.on('console', (m) => (m.type() === 'error' ? browserErrors.push(m.text()) : undefined));
    page.on('requestfailed', (r) => browserErrors.push(`${r.url()}: ${r.failure()?.errorText}`));
    const loginResponse = await page.goto(authorizationUrl.href);
    expect(page.url()).toMatch(new RegExp(`^${issuer}/login\\?request=[A-Za-z0-9_-]{22}$`));
    // The login page may not be framed (clickjacking), sends no referrer, is not cached.
    const headers = loginResponse!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    expect(await page.getAttribute('#username', 'autocomplete')).toBe('username');
    expect(await page.getAttribute('#password', 'autocomplete')).toBe('current-password');
    await shot(page, name('login'));

    // Password, then TOTP (a code of a step after the one spent at enrollment: no reuse).
    await page.fill('#username', userName);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${issuer}/login/totp`), page.click('button:has-text("Sign in")')]);
    expect(await page.getAttribute('#code', 'autocomplete')).toBe('one-time-code');
    await shot(page, name('totp'));
    const step = Math.max(currentStep(), enrolledStep + 1);
    await page.fill('#code', totpAt(secret, step));
    await Promise.all([
      page.waitForURL(new RegExp(`^${issuer}/consent\\?request=`)),
      page.click('button:has-text("Verify")'),
    ]);

    // The session cookie: HttpOnly and SameSite=Lax, invisible to scripts.
    const cookies = await context.cookies(issuer);
    const session = cookies.find((c) => c.name === 'tessera_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session!.value).toMatch(/^tsr_ses_[A-Za-z0-9_-]{43}$/);
    // Evaluated in the page (DOM `document`), passed as a string: the tests compile without the DOM lib.
    expect(await page.evaluate('document.cookie')).not.toContain('tessera_session');

    // The consent page names the client and each requested scope; the user allows all.
    await expect(page.locator('h1').textContent()).resolves.toContain(`Browser Shop ${mode}`);
    const consentText = (await page.textContent('body')) ?? '';
    for (const s of ['profile', 'email', 'orders_read', 'account_nr']) expect(consentText).toContain(s);
    await shot(page, name('consent'));
    await Promise.all([
      page.waitForURL((url) => url.origin === rpOrigin, { waitUntil: 'load' }),
      page.click('button[value=allow]'),
    ]);
    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('iss')).toBe(issuer);
    expect(back.searchParams.get('code')).toMatch(/^tsr_ac_[A-Za-z0-9_-]{43}$/);

    // 3. The relying party redeems the code; openid-client validates the ID token (iss, aud, nonce, signature).
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.access_token).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope?.split(' ').sort()).toEqual(SCOPE.split(' ').sort());
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: issuer,
      sub,
      aud: client.client_id,
      nonce,
      acr: 'urn:tessera:acr:mfa',
      email: userName,
      given_name: 'Alice',
      family_name: 'Liddell',
    });
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp']));
    expect(claims.auth_time).toEqual(expect.any(Number));
    expect(claims.at_hash).toEqual(expect.any(String));

    const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toMatchObject({ sub, email: userName, given_name: 'Alice', family_name: 'Liddell' });
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({
      active: true,
      sub,
      client_id: client.client_id,
    });

    // 4. The login page cannot be framed by another site: Chromium enforces frame-ancestors 'none'.
    const probe = await context.newPage();
    // `load` fires once every frame has loaded (or failed to).
    await probe.goto(`${rpOrigin}/frame?src=${encodeURIComponent(`${issuer}/login`)}`, { waitUntil: 'load' });
    const control = probe.frame({ name: 'control' });
    await expect(control!.textContent('body')).resolves.toContain('back at the relying party');
    const victim = probe.frame({ name: 'victim' });
    expect(victim).not.toBeNull();
    expect(await victim!.locator('#username').count()).toBe(0);
    await probe.close();

    // 5. The user revokes the consent at /consents: every grant it allowed is revoked.
    await page.goto(`${issuer}/consents`);
    await expect(page.textContent('body')).resolves.toContain(`Browser Shop ${mode}`);
    await shot(page, name('consents'));
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Revoke")')]);
    await page.waitForURL(`${issuer}/consents`);
    await expect(page.textContent('body')).resolves.not.toContain(`Browser Shop ${mode}`);
    await shot(page, name('consents-revoked'));

    const deadline = Date.now() + 15_000;
    let introspected = await oidc.tokenIntrospection(config, tokens.access_token);
    while (introspected.active && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      introspected = await oidc.tokenIntrospection(config, tokens.access_token);
    }
    expect(introspected).toEqual({ active: false });
    expect(browserErrors).toEqual([]);
  } finally {
    await context.close();
  }

  for (const page of [
    'mfa-login',
    'mfa-enrollment',
    'mfa-recovery-codes',
    'login',
    'totp',
    'consent',
    'consents',
    'consents-revoked',
  ]) {
    const file = join(ARTIFACTS, `${name(page)}.png`);
    expect([file, existsSync(file) && statSync(file).size > 1000]).toEqual([file, true]);
  }
}

describe('authorization code flow in Chromium against the standalone process', () => {
  it('enrolls TOTP, signs in with password + TOTP, consents, redeems with openid-client, revokes the consent', async () => {
    const port = await freePort();
    const issuer = `http://localhost:${port}`;
    const proc = apps.start('standalone', {
      PORT: String(port),
      TESSERA_DATA_DIR: 'memory',
      TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
      TESSERA_ISSUER: issuer,
      TESSERA_LOG_LEVEL: 'warn',
    });
    await waitFor(proc, `http://127.0.0.1:${port}/health/ready`, (a) => a.status === 200, 90_000);
    await browserFlow(issuer, 'standalone');
    expect(proc.stdout + proc.stderr).not.toContain(PASSWORD);
  });
});

describe('authorization code flow in Chromium against the distributed services behind nginx', () => {
  it('runs the same flow through the gateway, on PostgreSQL + Kafka', async () => {
    fixture = await createPlatformFixture('e2e_browser', allMigrations);
    const services = ['authentication', 'token', 'introspection', 'consent'] as const;
    const ports = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await freePort()])));
    const nginxPort = await freePort();
    const issuer = `http://localhost:${nginxPort}`;
    const gatewaySecret = newGatewaySecret();
    const procs = Object.values(
      await apps.startReady(
        ports,
        fixture.env({
          TESSERA_KEK: KEK,
          TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
          TESSERA_ISSUER: issuer,
          TESSERA_GATEWAY_SECRET: gatewaySecret,
          TESSERA_LOG_LEVEL: 'warn',
        }),
      ),
    );
    const unused = String(await freePort());
    const vars: GatewayVars = {
      TESSERA_GATEWAY_LISTEN: `127.0.0.1:${nginxPort}`,
      TESSERA_AUTHENTICATION_UPSTREAM: `127.0.0.1:${ports.authentication}`,
      TESSERA_TOKEN_UPSTREAM: `127.0.0.1:${ports.token}`,
      TESSERA_INTROSPECTION_UPSTREAM: `127.0.0.1:${ports.introspection}`,
      TESSERA_CONSENT_UPSTREAM: `127.0.0.1:${ports.consent}`,
      TESSERA_AUDIT_UPSTREAM: `127.0.0.1:${unused}`,
      TESSERA_DEMO_API_UPSTREAM: `127.0.0.1:${unused}`,
      TESSERA_DEMO_API_AUDIENCE: `${issuer}/api/demo`,
      TESSERA_GATEWAY_SECRET: gatewaySecret,
    };
    gateway = await NginxGateway.start(vars);
    await browserFlow(issuer, 'distributed');
    for (const proc of procs) expect(proc.stdout + proc.stderr).not.toContain(PASSWORD);
  });
});
