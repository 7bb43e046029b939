import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { ClientDirectory, RegisteredClient } from '@tessera/clients';
import type { SessionState } from '@tessera/contracts';
import type { Database } from '@tessera/event-store';
import type { TesseraConfig } from '@tessera/platform';
import type { SessionService } from '../sessions/session.service';
import { LogoutService } from './logout.service';

const ISSUER = 'https://issuer.example';
const LOGGED_OUT = 'https://app.example/logged-out';

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const state = {
    kid: 'k1',
    owner: 'token',
    alg: 'ES256',
    publicJwk: await exportJWK(publicKey),
    status: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
    activateAfter: '2026-11-01T00:00:00.000Z',
  };
  const db = { query: async () => [{ state }] } as unknown as Database;
  const client = {
    clientId: 'app',
    metadata: { post_logout_redirect_uris: [LOGGED_OUT] },
  } as unknown as RegisteredClient;
  const clients = { get: async (id: string) => (id === 'app' ? client : null) } as unknown as ClientDirectory;
  const config = { mode: 'standalone', issuer: ISSUER } as unknown as TesseraConfig;
  const service = new LogoutService(clients, {} as SessionService, db, config);
  const idToken = (
    claims: Record<string, unknown>,
    exp: string | number = '5m',
    key = privateKey,
    { typ, aud = 'app' }: { typ?: string; aud?: string | null } = {},
  ) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...(typ ? { typ } : {}) });
    if (aud !== null) jwt.setAudience(aud);
    return jwt
      .setIssuer(ISSUER)
      .setIssuedAt(typeof exp === 'number' ? exp - 600 : undefined)
      .setExpirationTime(exp)
      .sign(key);
  };
  return { service, idToken, privateKey };
}

const session = { sub: 'user-1' } as SessionState;

describe('LogoutService.plan (OIDC RP-Initiated Logout 1.0 §2-3)', () => {
  it('redirects to a registered post_logout_redirect_uri with state, without asking, for a hint naming the user', async () => {
    const { service, idToken } = await setup();
    const plan = await service.plan(
      { idTokenHint: await idToken({ sub: 'user-1' }), postLogoutRedirectUri: LOGGED_OUT, state: 'abc' },
      session,
    );
    expect(plan).toEqual({ confirmed: true, redirectTo: `${LOGGED_OUT}?state=abc` });
  });

  it('accepts an expired hint (§2), but asks the user when it names someone else', async () => {
    const { service, idToken } = await setup();
    const expired = await idToken({ sub: 'user-1' }, Math.floor(Date.now() / 1000) - 3600);
    expect((await service.plan({ idTokenHint: expired }, session)).confirmed).toBe(true);
    const other = await idToken({ sub: 'user-2' });
    expect((await service.plan({ idTokenHint: other }, session)).confirmed).toBe(false);
  });

  it('refuses an unregistered or look-alike post_logout_redirect_uri, and one without a known client', async () => {
    const { service, idToken } = await setup();
    const hint = await idToken({ sub: 'user-1' });
    for (const uri of ['https://evil.example/', `${LOGGED_OUT}/`, `${LOGGED_OUT}?x=1`]) {
      const plan = await service.plan({ idTokenHint: hint, postLogoutRedirectUri: uri }, session);
      expect(plan.redirectTo).toBeUndefined();
      expect(plan.error).toBeDefined();
    }
    expect((await service.plan({ postLogoutRedirectUri: LOGGED_OUT }, session)).error).toBeDefined();
    expect((await service.plan({ postLogoutRedirectUri: LOGGED_OUT, clientId: 'app' }, session)).redirectTo).toBe(
      LOGGED_OUT,
    );
  });

  it('does not trust a hint signed by another key, or a client_id that contradicts it', async () => {
    const { service, idToken } = await setup();
    const foreign = await idToken({ sub: 'user-1' }, '5m', (await generateKeyPair('ES256')).privateKey);
    const plan = await service.plan({ idTokenHint: foreign, postLogoutRedirectUri: LOGGED_OUT }, session);
    expect(plan.confirmed).toBe(false);
    expect(plan.error).toBeDefined();
    const mismatch = await service.plan({ idTokenHint: await idToken({ sub: 'user-1' }), clientId: 'other' }, session);
    expect(mismatch.error).toBeDefined();
  });

  it('takes only ID tokens as hints: typ JWT or absent, with aud and sub (not an at+jwt access token)', async () => {
    const { service, idToken, privateKey } = await setup();
    const expired = Math.floor(Date.now() / 1000) - 3600;
    expect(
      (await service.plan({ idTokenHint: await idToken({ sub: 'user-1' }, '5m', privateKey, { typ: 'JWT' }) }, session))
        .confirmed,
    ).toBe(true);
    for (const hint of [
      await idToken({ sub: 'user-1' }, '5m', privateKey, { typ: 'at+jwt' }),
      await idToken({ sub: 'user-1' }, expired, privateKey, { typ: 'at+jwt' }),
      await idToken({ sub: 'user-1' }, '5m', privateKey, { aud: null }),
      await idToken({}, '5m', privateKey),
    ]) {
      expect((await service.plan({ idTokenHint: hint }, session)).confirmed).toBe(false);
    }
  });
});
