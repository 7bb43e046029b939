import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  accessTokenClaims,
  sign,
  startJwksServer,
  testKey,
  type JwksServer,
  type TestKey,
} from '../test/issuer.fixture';
import { AccessTokenVerifier } from './access-token-verifier';
import { authorizeRequest } from './authorize-request';

const ISSUER = 'https://iam.example';
const AUDIENCE = 'https://billing.example';

describe('authorizeRequest (plain node:http)', () => {
  let key: TestKey;
  let jwks: JwksServer;
  let api: Server;
  let url: string;

  beforeAll(async () => {
    key = await testKey('ES256');
    jwks = await startJwksServer([key]);
    const verifier = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url });
    api = createServer(async (req, res) => {
      const result = await authorizeRequest(verifier, req.headers.authorization, { scopes: ['billing_read'] });
      if (!result.ok) {
        const { status, wwwAuthenticate, body } = result.challenge;
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(wwwAuthenticate ? { 'www-authenticate': wwwAuthenticate } : {}),
        });
        res.end(JSON.stringify(body));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sub: result.principal.sub, actor: result.principal.actorChain[0]?.sub }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/invoices`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => api.close(() => resolve()));
    await jwks.close();
  });

  it('serves an exchanged token with the scope and refuses the rest per RFC 6750 §3.1', async () => {
    const exchanged = await sign(
      key,
      accessTokenClaims(ISSUER, AUDIENCE, { scope: 'billing_read', act: { sub: 'orders-svc' } }),
    );
    const ok = await fetch(url, { headers: { authorization: `Bearer ${exchanged}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: 'user-1', actor: 'orders-svc' });

    const original = await sign(key, accessTokenClaims(ISSUER, 'https://orders.example', { scope: 'orders_read' }));
    const wrongAudience = await fetch(url, { headers: { authorization: `Bearer ${original}` } });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);

    const noScope = await sign(key, accessTokenClaims(ISSUER, AUDIENCE, { scope: 'orders_read' }));
    const forbidden = await fetch(url, { headers: { authorization: `Bearer ${noScope}` } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="billing_read"/);

    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  });
});
