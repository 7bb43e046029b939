import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { bootstrapService, loadConfig } from '@tessera/platform';
import * as oidc from 'openid-client';
import { SCIM_CLAIMS_EXTENSION, SCIM_USER_SCHEMA } from '../../apps/authentication/src/scim/scim.schemas';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { freePort } from '../platform/spawned-process';

jest.setTimeout(180_000);

// Issue 5 §7 with openid-client (the certified relying-party library) over
// real HTTP: the standalone composition (every service, PGlite, in-process
// bus) booted in this process exactly as `apps/standalone` does, on a free
// port. Discovery, RFC 7591 registration, authorize → login → consent →
// code + PKCE + nonce + state + iss, the token response with its ID token
// validated by openid-client, /userinfo, refresh with a new ID token, a
// replayed code revoking its grant, and RP-initiated logout.

const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const PASSWORD = 'correct horse battery staple';
const USER = `grace.${randomBytes(4).toString('hex')}@example.com`;
const ACCOUNT_NR = `acct-${randomBytes(4).toString('hex')}`;
const SCOPE = 'openid profile email offline_access orders_read';

let app: INestApplication | undefined;
let issuer: string;

/** A browser: a cookie jar over fetch, following no redirect by itself. */
class Browser {
  private readonly jar = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(eq + 1) === '' || /Max-Age=0/i.test(line)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  post(url: string, form: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const location = (res: Response) => String(res.headers.get('location'));

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const config = loadConfig('standalone', {
    PORT: String(port),
    TESSERA_DATA_DIR: 'memory',
    TESSERA_KEK: randomBytes(32).toString('base64'),
    TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
    TESSERA_ISSUER: issuer,
    TESSERA_LOG_LEVEL: 'silent',
  });
  app = await bootstrapService(StandaloneModule, config);
});
afterAll(async () => {
  await app?.close();
});

it('runs the authorization code flow with openid-client as the relying party', async () => {
  const server = new URL(issuer);
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const insecure = { execute: [oidc.allowInsecureRequests] };

  // Setup by the administrator: a scope requiring a claim, and a user holding it (SCIM).
  const scope = await fetch(`${issuer}/admin/scopes/orders_read`, {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'Read your orders', claims: ['account_nr'] }),
  });
  expect(scope.status).toBe(200);
  const user = await fetch(`${issuer}/scim/v2/Users`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: [SCIM_USER_SCHEMA, SCIM_CLAIMS_EXTENSION],
      userName: USER,
      password: PASSWORD,
      name: { givenName: 'Grace', familyName: 'Hopper' },
      emails: [{ value: USER, primary: true }],
      [SCIM_CLAIMS_EXTENSION]: { account_nr: ACCOUNT_NR },
    }),
  });
  expect(user.status).toBe(201);
  const sub = String(((await user.json()) as { id: string }).id);

  // Discovery and RFC 7591 registration, by openid-client.
  const redirectUri = `${issuer.replace(/:\d+$/, ':1')}/cb`;
  const loggedOut = `${issuer.replace(/:\d+$/, ':1')}/bye`;
  const discovered = await oidc.discovery(server, 'nobody', undefined, undefined, insecure);
  expect(discovered.serverMetadata()).toMatchObject({
    authorization_endpoint: `${issuer}/oauth/authorize`,
    end_session_endpoint: `${issuer}/logout`,
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
  });
  const config = await oidc.dynamicClientRegistration(
    server,
    {
      client_name: 'openid-client e2e',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [loggedOut],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: SCOPE,
    },
    undefined,
    { ...insecure, initialAccessToken: ADMIN_TOKEN },
  );
  const clientId = config.clientMetadata().client_id;

  // The authorization request, as the relying party builds it.
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const authorizeUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });

  // The user agent: login page, password, consent page, back to the client with the code.
  const browser = new Browser();
  const toLogin = await browser.request(authorizeUrl.href);
  expect(toLogin.status).toBe(303);
  const loginPage = await browser.request(location(toLogin));
  const requestId = new URL(location(toLogin), issuer).searchParams.get('request')!;
  const signedIn = await browser.post('/login', {
    username: USER,
    password: PASSWORD,
    csrf: csrfOf(await loginPage.text()),
    request: requestId,
  });
  expect(signedIn.status).toBe(303);
  const toConsent = await browser.request(location(signedIn));
  expect(location(toConsent)).toBe(`/consent?request=${requestId}`);
  const consentPage = await browser.request(location(toConsent));
  const allowed = await browser.post('/consent', {
    request: requestId,
    csrf: csrfOf(await consentPage.text()),
    decision: 'allow',
    scope: SCOPE.split(' '),
  });
  const callback = await browser.request(location(allowed));
  expect(callback.status).toBe(303);
  const callbackUrl = new URL(location(callback));
  expect(callbackUrl.searchParams.get('iss')).toBe(issuer);

  // The token request: openid-client checks state and iss, sends the verifier, validates the ID token.
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
  expect(tokens.access_token).toMatch(/^tsr_at_/);
  expect(tokens.refresh_token).toMatch(/^tsr_rt_/);
  expect(tokens.claims()).toMatchObject({
    iss: issuer,
    sub,
    aud: clientId,
    nonce,
    acr: 'urn:tessera:acr:pwd',
    amr: ['pwd'],
    email: USER,
    given_name: 'Grace',
  });
  const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
  expect(info).toMatchObject({ sub, email: USER });

  // Refresh: a rotated refresh token and a new ID token for the same authentication (OIDC Core §12.2).
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  expect(refreshed.claims()).toMatchObject({ sub, auth_time: tokens.claims()!.auth_time });

  // The API's view through introspection: the scope's required claim is released.
  const introspect = async (token: string) =>
    (await (
      await fetch(`${issuer}/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token,
          client_id: clientId,
          client_secret: String(config.clientMetadata().client_secret),
        }).toString(),
      })
    ).json()) as Record<string, unknown>;
  expect(await introspect(refreshed.access_token)).toMatchObject({ active: true, sub, account_nr: ACCOUNT_NR });

  // The same code again: invalid_grant, and the grant it started is revoked (RFC 9700 §4.5).
  await expect(
    oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
    }),
  ).rejects.toMatchObject({ error: 'invalid_grant' });
  for (let i = 0; i < 100 && (await introspect(refreshed.access_token)).active !== false; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await introspect(refreshed.access_token)).toEqual({ active: false });

  // RP-initiated logout with the ID token as hint, back to the registered URI.
  const logoutUrl = oidc.buildEndSessionUrl(config, {
    id_token_hint: refreshed.id_token!,
    post_logout_redirect_uri: loggedOut,
    state: 'bye',
  });
  const out = await browser.request(logoutUrl.href);
  expect(out.status).toBe(303);
  expect(location(out)).toBe(`${loggedOut}?state=bye`);
});
