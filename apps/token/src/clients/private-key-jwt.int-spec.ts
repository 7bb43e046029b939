import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientAssertionEvents } from '@tessera/contracts';
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@tessera/oauth';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { startTokenTestApp, type TokenTestApp } from '../../test/token-test-app';

jest.setTimeout(120_000);

// Issue 3 §1: private_key_jwt client authentication (RFC 7523 §2.2, OIDC Core §9)
// through the public HTTP surface, in both modes: registration with inline
// jwks or a jwks_uri, client credentials with a signed assertion, single-use jti
// enforced through the log, revocation with an assertion.

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe.each(['distributed', 'standalone'] as const)('private_key_jwt (%s)', (mode) => {
  let app: TokenTestApp;
  let privateKey: PrivateKey;
  let publicJwk: JWK;
  let jwksServer: Server;
  let jwksUri: string;
  let jwksHits = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'client-key-1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      jwksHits += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
    app = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  async function register(keys: Record<string, unknown>): Promise<string> {
    const res = await app.json(
      'POST',
      '/oauth/register',
      { grant_types: ['client_credentials'], scope: 'read', token_endpoint_auth_method: 'private_key_jwt', ...keys },
      { authorization: `Bearer ${app.adminToken}` },
    );
    expect(res.status).toBe(201);
    expect(res.json().client_secret).toBeUndefined();
    return String(res.json().client_id);
  }

  const assertionFor = (clientId: string, over: Record<string, unknown> = {}, key: PrivateKey = privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: clientId, sub: clientId, aud: `${app.issuer}/oauth/token`, jti: randomUUID(), iat: now };
    return new SignJWT({ ...claims, exp: now + 120, ...over })
      .setProtectedHeader({ alg: 'ES256', kid: 'client-key-1' })
      .sign(key);
  };

  const tokenWith = (assertion: string, extra: Record<string, string> = {}) =>
    app.form('/oauth/token', {
      grant_type: 'client_credentials',
      scope: 'read',
      client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      ...extra,
    });

  it('registers with inline jwks, issues a token for a signed assertion, refuses its replay with 401 invalid_client', async () => {
    const clientId = await register({ jwks: { keys: [publicJwk] } });
    const assertion = await assertionFor(clientId);

    const ok = await tokenWith(assertion);
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ token_type: 'Bearer', scope: 'read' });

    const replay = await tokenWith(assertion, { client_id: clientId });
    expect(replay.status).toBe(401);
    expect(replay.json().error).toBe('invalid_client');

    // The single use is in the log, by hash only: neither the assertion nor the jti in clear.
    const log = await app.loggedEvents();
    const used = log.filter((e) => e.type === ClientAssertionEvents.used && e.data.clientId === clientId);
    expect(used).toHaveLength(1);
    expect(used[0].streamId).toMatch(/^clientassertion-[\w-]{43}$/);
    expect(JSON.stringify(log)).not.toContain(assertion.split('.')[2]);
  });

  it('refuses a key outside the jwks, a wrong audience and a foreign client id exactly like a wrong secret', async () => {
    const clientId = await register({ jwks: { keys: [publicJwk] } });
    const stranger = (await generateKeyPair('ES256')).privateKey;
    const bad = [
      await assertionFor(clientId, {}, stranger),
      await assertionFor(clientId, { aud: 'https://elsewhere.example/oauth/token' }),
      await assertionFor('unknown-client'),
    ];
    for (const assertion of bad) {
      const res = await tokenWith(assertion);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
    // An assertion together with a secret is two methods (RFC 6749 §2.3).
    const both = await tokenWith(await assertionFor(clientId), { client_secret: 'x', client_id: clientId });
    expect(both.status).toBe(400);
    expect(both.json().error).toBe('invalid_request');
  });

  it('fetches the keys from a jwks_uri served over loopback http', async () => {
    const clientId = await register({ jwks_uri: jwksUri });
    const before = jwksHits;
    const res = await tokenWith(await assertionFor(clientId));
    expect(res.status).toBe(200);
    expect(jwksHits).toBeGreaterThan(before);
  });

  it('authenticates revocation with an assertion (RFC 7009 §2.1)', async () => {
    const clientId = await register({ jwks: { keys: [publicJwk] } });
    const issued = await tokenWith(await assertionFor(clientId));
    expect(issued.status).toBe(200);
    const revoke = await app.form('/oauth/revoke', {
      token: String(issued.json().access_token),
      client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
      client_assertion: await assertionFor(clientId),
    });
    expect(revoke.status).toBe(200);
  });

  it('refuses private key material in jwks and a plain-http jwks_uri at registration', async () => {
    for (const keys of [
      { jwks: { keys: [{ ...publicJwk, d: 'c2VjcmV0' }] } },
      { jwks_uri: 'http://keys.example/jwks' },
    ]) {
      const res = await app.json(
        'POST',
        '/oauth/register',
        { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', ...keys },
        { authorization: `Bearer ${app.adminToken}` },
      );
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('invalid_client_metadata');
    }
  });
});
