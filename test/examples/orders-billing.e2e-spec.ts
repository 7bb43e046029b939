import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AUTHORIZATION_CODE_CLAIMS_PURPOSE,
  type AuthorizationCodeIssuedData,
  AuthorizationEvents,
  authorizationCodeStream,
} from '@tessera/contracts';
import { PgDatabase, SqlEventStore } from '@tessera/event-store';
import { sealWithToken } from '@tessera/keys';
import { topicNames } from '@tessera/messaging';
import { s256CodeChallenge } from '@tessera/oauth';
import { decodeJwt } from 'jose';
import { allMigrations } from '../../apps/standalone/src/all-migrations';
import { NginxGateway, newGatewaySecret } from '../gateway/nginx-gateway';
import { freePort, SpawnedApps, waitFor } from '../platform/spawned-process';
import { kafkaBrokers } from '../support/infra';
import { createPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

jest.setTimeout(240_000);

// Issue 6 §3: the examples end to end. A client holds an opaque token; nginx (deploy/nginx) swaps it
// for a phantom JWT; the orders API (NestJS, examples/orders-api) serves only the token's account and
// calls the billing API (node:http, examples/billing-api) with a token exchanged down to billing_read
// for audience `billing` (RFC 8693); billing checks the `act` chain, refuses the client's own tokens,
// and hears on iam.revocations that the exchanged token went with its ancestor. Distributed mode:
// compiled token + introspection services on PostgreSQL + Kafka (`npm run build`, or TESSERA_E2E_DIST).

const KEK = randomBytes(32).toString('base64');
const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const REDIRECT = 'https://web.example/cb';
const SCOPE = 'orders_read billing_read';
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;

const apps = new SpawnedApps();
let fixture: PlatformFixture | undefined;
let gateway: NginxGateway | undefined;
let db: PgDatabase | undefined;

afterAll(async () => {
  await gateway?.stop();
  await apps.stopAll();
  await db?.close();
  await fixture?.drop();
});

async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), text };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const form = (body: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});

/** Waits until `probe` answers `status` (revocations travel through the log, a relay and Kafka). */
async function eventually<T extends { status: number }>(
  probe: () => Promise<T>,
  status: number,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (last.status !== status && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

describe('examples: orders API → token exchange → billing API, behind nginx (distributed)', () => {
  it('serves only the account of the token, delegates to billing with a reduced token, and follows revocation', async () => {
    fixture = await createPlatformFixture('e2e_examples', allMigrations);
    db = new PgDatabase({ connectionString: fixture.database.url });
    const store = new SqlEventStore(db);
    const [nginxPort, tokenPort, introspectionPort, ordersPort, billingPort, unused] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    const issuer = `http://127.0.0.1:${nginxPort}`;
    const ordersAudience = `${issuer}/api/orders`;
    const gatewaySecret = newGatewaySecret();
    const { token, introspection } = await apps.startReady(
      { token: tokenPort, introspection: introspectionPort },
      fixture.env({
        TESSERA_KEK: KEK,
        TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
        TESSERA_ISSUER: issuer,
        TESSERA_GATEWAY_SECRET: gatewaySecret,
        TESSERA_LOG_LEVEL: 'warn',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      }),
    );

    // deploy/nginx as rendered, with its protected-API block serving /api/orders/ (its "copy per API").
    const nowhere = `127.0.0.1:${unused}`;
    gateway = await NginxGateway.start(
      {
        TESSERA_GATEWAY_LISTEN: `127.0.0.1:${nginxPort}`,
        TESSERA_AUTHENTICATION_UPSTREAM: nowhere,
        TESSERA_TOKEN_UPSTREAM: `127.0.0.1:${tokenPort}`,
        TESSERA_INTROSPECTION_UPSTREAM: `127.0.0.1:${introspectionPort}`,
        TESSERA_CONSENT_UPSTREAM: nowhere,
        TESSERA_AUDIT_UPSTREAM: nowhere,
        TESSERA_DEMO_API_UPSTREAM: `127.0.0.1:${ordersPort}`,
        TESSERA_DEMO_API_AUDIENCE: ordersAudience,
        TESSERA_GATEWAY_SECRET: gatewaySecret,
      },
      (file, conf) => (file === 'tessera.conf' ? conf.replaceAll('/api/demo/', '/api/orders/') : conf),
    );

    // The administrator's setup, through nginx: two scopes that require the account number (DESIGN §5).
    for (const scope of ['orders_read', 'billing_read']) {
      const put = await call(`${issuer}/admin/scopes/${scope}`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({ description: scope, claims: ['account_nr'] }),
      });
      expect(put.status).toBe(200);
    }
    const register = async (metadata: Record<string, unknown>) => {
      const res = await call(`${issuer}/oauth/register`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify(metadata),
      });
      expect(res.status).toBe(201);
      return JSON.parse(res.text) as { client_id: string; client_secret: string };
    };
    // The web client may obtain tokens for the orders API (RFC 8707 resource); the orders API's own
    // client may only exchange for billing, and only billing_read.
    const web = await register({
      grant_types: ['authorization_code', TOKEN_EXCHANGE],
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'client_secret_post',
      scope: SCOPE,
      token_exchange_policy: { [ordersAudience]: SCOPE },
    });
    const ordersClient = await register({
      grant_types: [TOKEN_EXCHANGE],
      token_endpoint_auth_method: 'client_secret_basic',
      token_exchange_policy: { billing: 'billing_read' },
    });

    const billing = apps.startFile('examples/billing-api/src/main.js', {
      PORT: String(billingPort),
      TESSERA_ISSUER: issuer,
      ORDERS_API_CLIENT_ID: ordersClient.client_id,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TESSERA_REVOCATIONS_TOPIC: topicNames(fixture.topicPrefix).revocations,
    });
    const orders = apps.startFile('examples/orders-api/src/main.js', {
      PORT: String(ordersPort),
      TESSERA_ISSUER: issuer,
      ORDERS_API_AUDIENCE: ordersAudience,
      ORDERS_API_CLIENT_ID: ordersClient.client_id,
      ORDERS_API_CLIENT_SECRET: ordersClient.client_secret,
      BILLING_API_URL: `http://127.0.0.1:${billingPort}`,
    });
    const billingUrl = `http://127.0.0.1:${billingPort}/billing/invoices`;
    await waitFor(billing, `${billingUrl}?account=x`, (a) => a.status === 401);
    await waitFor(orders, `http://127.0.0.1:${ordersPort}/orders`, (a) => a.status === 401);

    // Two users signed in (the authentication service's part, covered by the authorization code e2e, is
    // stood in for by its log event: a code carrying the user's account number, sealed under the code).
    const signIn = async (accountNr: string) => {
      const code = `tsr_ac_${randomBytes(32).toString('base64url')}`;
      const verifier = randomBytes(48).toString('base64url');
      const now = Date.now();
      const data: AuthorizationCodeIssuedData = {
        handle: createHash('sha256').update(code).digest('base64url'),
        clientId: web.client_id,
        redirectUri: REDIRECT,
        codeChallenge: s256CodeChallenge(verifier),
        codeChallengeMethod: 'S256',
        scope: SCOPE,
        sub: `user-${randomUUID()}`,
        sessionHandle: createHash('sha256').update(randomUUID()).digest('base64url'),
        authTime: new Date(now - 5_000).toISOString(),
        acr: 'urn:tessera:acr:pwd',
        amr: ['pwd'],
        consentId: randomUUID(),
        resources: [ordersAudience],
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60_000).toISOString(),
        sealedClaims: sealWithToken(code, AUTHORIZATION_CODE_CLAIMS_PURPOSE, {
          accessToken: { account_nr: accountNr },
        }),
      };
      await store.append(authorizationCodeStream(data.handle), 0, [
        { type: AuthorizationEvents.codeIssued, data: { ...data } },
      ]);
      const res = await call(
        `${issuer}/oauth/token`,
        form({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT,
          resource: ordersAudience,
          ...web,
        }),
      );
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as { access_token: string; scope: string };
      expect(body.access_token).toMatch(/^tsr_at_/);
      return { opaque: body.access_token, sub: data.sub };
    };
    const alice = await signIn('acct-1001');
    const bob = await signIn('acct-2002');

    // client → nginx (opaque) → phantom JWT → orders API → token exchange → billing API.
    const listOrders = (opaque: string) => call(`${issuer}/api/orders/orders`, { headers: bearer(opaque) });
    const first = await listOrders(alice.opaque);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toEqual({
      account: 'acct-1001',
      orders: [
        expect.objectContaining({ id: 'ord-1001', invoices: [expect.objectContaining({ id: 'inv-5001' })] }),
        expect.objectContaining({ id: 'ord-1002', invoices: [expect.objectContaining({ id: 'inv-5002' })] }),
      ],
    });
    expect(first.text).not.toMatch(JWT_SHAPE); // the client never sees the phantom or exchanged JWT
    const second = await listOrders(bob.opaque);
    expect(second.status).toBe(200);
    expect(JSON.parse(second.text)).toMatchObject({
      account: 'acct-2002',
      orders: [{ id: 'ord-2001', invoices: [{ id: 'inv-6001' }] }],
    });

    // What billing saw: exchanged tokens only (issued to the orders API, RFC 9068 client_id), for each
    // user, with the orders API as actor and billing_read as the only scope.
    const billingLog = () =>
      billing.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const served = billingLog().filter((e) => e.status === 200);
    expect(served).toEqual([
      expect.objectContaining({
        sub: alice.sub,
        clientId: ordersClient.client_id,
        actor: ordersClient.client_id,
        scope: 'billing_read',
      }),
      expect.objectContaining({
        sub: bob.sub,
        clientId: ordersClient.client_id,
        actor: ordersClient.client_id,
        scope: 'billing_read',
      }),
    ]);

    // The phantom JWT nginx forwards for alice (what the orders API holds), asked of the service as nginx does.
    const phantomAnswer = await call(`http://127.0.0.1:${introspectionPort}/gateway/phantom`, {
      headers: {
        ...bearer(alice.opaque),
        'x-tessera-audience': ordersAudience,
        'x-tessera-gateway-secret': gatewaySecret,
      },
    });
    expect(phantomAnswer.status).toBe(200);
    const phantom = phantomAnswer.headers.authorization.replace(/^Bearer /, '');
    expect(decodeJwt(phantom)).toMatchObject({ aud: ordersAudience, sub: alice.sub, scope: SCOPE });

    // Billing refuses the client's own tokens: the opaque one (not a JWT) and the phantom one (audience).
    for (const own of [alice.opaque, phantom]) {
      const refused = await call(`${billingUrl}?account=acct-1001`, { headers: bearer(own) });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer realm="billing", error="invalid_token"/);
    }

    // The same exchange the orders API makes (its credentials, the phantom JWT as subject token).
    const exchange = async (subject: string, extra: Record<string, string> = {}, as = ordersClient) =>
      call(`${issuer}/oauth/token`, {
        ...form({
          grant_type: TOKEN_EXCHANGE,
          subject_token: subject,
          subject_token_type: ACCESS_TOKEN_TYPE,
          audience: 'billing',
          scope: 'billing_read',
          ...extra,
        }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${as.client_id}:${as.client_secret}`).toString('base64')}`,
        },
      });
    const exchanged = await exchange(phantom);
    expect(exchanged.status).toBe(200);
    const reduced = (JSON.parse(exchanged.text) as { access_token: string }).access_token;
    const reducedClaims = decodeJwt(reduced);
    expect(reducedClaims).toMatchObject({
      aud: 'billing',
      scope: 'billing_read',
      sub: alice.sub,
      act: { sub: ordersClient.client_id },
      account_nr: 'acct-1001',
    });
    expect(reducedClaims.exp).toBeLessThanOrEqual(decodeJwt(phantom).exp!);
    // RFC 8693 §2.2.2: never widened; a forged phantom JWT is not a subject token.
    expect(JSON.parse((await exchange(phantom, { scope: 'billing_read orders_read' })).text).error).toBe(
      'invalid_scope',
    );
    const forged = `${phantom.slice(0, phantom.lastIndexOf('.'))}.${randomBytes(64).toString('base64url')}`;
    expect(JSON.parse((await exchange(forged)).text).error).toBe('invalid_request');
    // Billing takes the reduced token, for its own account only.
    expect((await call(`${billingUrl}?account=acct-1001`, { headers: bearer(reduced) })).status).toBe(200);
    expect((await call(`${billingUrl}?account=acct-2002`, { headers: bearer(reduced) })).status).toBe(403);

    // RFC 8693 §4.1: another service allowed to exchange for billing is not the actor billing trusts.
    const intruder = await register({
      grant_types: [TOKEN_EXCHANGE],
      token_endpoint_auth_method: 'client_secret_basic',
      token_exchange_policy: { billing: 'billing_read' },
    });
    const delegated = await exchange(phantom, {}, intruder);
    expect(delegated.status).toBe(200);
    const wrongActor = (JSON.parse(delegated.text) as { access_token: string }).access_token;
    expect(decodeJwt(wrongActor).act).toEqual({ sub: intruder.client_id });
    const notTrusted = await call(`${billingUrl}?account=acct-1001`, { headers: bearer(wrongActor) });
    expect(notTrusted.status).toBe(403);
    expect(notTrusted.headers['www-authenticate']).toContain('error="insufficient_scope"');

    // Revocation of alice's opaque token: the gateway refuses her next call, and billing refuses the
    // token exchanged from her phantom JWT (lineage: its handle is in the iam.revocations message).
    const revoked = await call(`${issuer}/oauth/revoke`, form({ token: alice.opaque, ...web }));
    expect(revoked.status).toBe(200);
    const atGateway = await eventually(() => listOrders(alice.opaque), 401);
    expect(atGateway.status).toBe(401);
    expect(atGateway.headers['www-authenticate']).toContain('error="invalid_token"');
    const atBilling = await eventually(
      () => call(`${billingUrl}?account=acct-1001`, { headers: bearer(reduced) }),
      401,
    );
    expect(atBilling.status).toBe(401);
    expect(atBilling.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.parse(atBilling.text)).toEqual({ error: 'invalid_token', error_description: 'token revoked' });
    expect(JSON.parse((await exchange(phantom)).text).error).toBe('invalid_request'); // no new exchange either
    // Bob is untouched.
    expect((await listOrders(bob.opaque)).status).toBe(200);

    // No token value in any log: services, example APIs, nginx.
    const logs = [token, introspection, orders, billing].map((p) => p.stdout + p.stderr).join('\n') + gateway.logs();
    for (const secret of [alice.opaque, bob.opaque, phantom, reduced, wrongActor, ordersClient.client_secret]) {
      expect(logs).not.toContain(secret);
    }
  });
});
