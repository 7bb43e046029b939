import { createHash, randomBytes } from 'node:crypto';
import { topicNames } from '@tessera/messaging';
import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import * as oidc from 'openid-client';
import { Client as PgClient } from 'pg';
import { allMigrations } from '../../apps/standalone/src/all-migrations';
import { kafkaBrokers, type TestDatabase } from '../support/infra';
import { createPlatformFixture, type PlatformFixture } from '../support/platform-fixture';
import { freePort, SpawnedApps, waitFor } from '../platform/spawned-process';

jest.setTimeout(180_000);

// Issue 3 "Tests": openid-client (the certified client library) drives the
// COMPILED token service (`npm run build`) as a real process, in both modes:
// distributed on PostgreSQL + Kafka, and standalone (PGlite, in-process bus).
// Discovery, RFC 7591 registration with the admin token as initial access
// token, client credentials with both token formats, RFC 7009 revocation, and
// in distributed mode the integration event on `iam.revocations`.
// Refresh rotation needs the authorization-code flow (issue 5): not here.

const KEK = randomBytes(32).toString('base64');
const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const SCOPE = 'orders_write';
let prefix: string;
let fixture: PlatformFixture | undefined;
const apps = new SpawnedApps();
let db: TestDatabase;

const insecure = { execute: [oidc.allowInsecureRequests] };

/** base64url(SHA-256(token)): how the log and `iam.revocations` name a token (DESIGN §2). */
const handleOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

const start = (app: string, env: Record<string, string | undefined>) => apps.start(app, env);

afterAll(async () => {
  await apps.stopAll();
  await fixture?.drop();
});

/** A scope without required claims, so a machine client may hold it (DESIGN §5). */
async function defineScope(issuer: string): Promise<void> {
  const res = await fetch(`${issuer}/admin/scopes/${SCOPE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'Place orders', claims: [] }),
  });
  expect(res.status).toBe(200);
}

/** What one run of the flow leaves for mode-specific checks. */
interface FlowResult {
  reference: { token: string; clientId: string };
  jwt: { token: string; clientId: string };
}

/** The whole openid-client flow against one issuer; both modes run it. */
async function openidClientFlow(issuer: string): Promise<FlowResult> {
  const server = new URL(issuer);

  // Discovery (RFC 8414 / OIDC Discovery): openid-client checks that `issuer` matches the URL.
  const discovered = await oidc.discovery(server, 'nobody', undefined, undefined, insecure);
  const as = discovered.serverMetadata();
  expect(as.issuer).toBe(issuer);
  expect(as.token_endpoint).toBe(`${issuer}/oauth/token`);
  expect(as.registration_endpoint).toBe(`${issuer}/oauth/register`);
  expect(as.revocation_endpoint).toBe(`${issuer}/oauth/revoke`);
  expect(as.grant_types_supported).toContain('client_credentials');

  await defineScope(issuer);

  // RFC 7591 without the initial access token: refused, nothing registered.
  await expect(
    oidc.dynamicClientRegistration(server, { grant_types: ['client_credentials'], scope: SCOPE }, undefined, insecure),
  ).rejects.toMatchObject({ status: 401 });

  // A reference-token client authenticating with client_secret_post (openid-client's default).
  const refClient = await oidc.dynamicClientRegistration(
    server,
    {
      client_name: 'e2e reference',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: SCOPE,
    },
    undefined,
    { ...insecure, initialAccessToken: ADMIN_TOKEN },
  );
  const refMeta = refClient.clientMetadata();
  expect(refMeta.client_id).toEqual(expect.any(String));
  expect(refMeta.client_secret).toEqual(expect.any(String));
  expect(refMeta.grant_types).toEqual(['client_credentials']);

  // A JWT client authenticating with client_secret_basic.
  const jwtClient = await oidc.dynamicClientRegistration(
    server,
    {
      client_name: 'e2e jwt',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCOPE,
      access_token_format: 'jwt',
    },
    oidc.ClientSecretBasic(),
    { ...insecure, initialAccessToken: ADMIN_TOKEN },
  );
  const jwtMeta = jwtClient.clientMetadata();
  expect(jwtMeta.access_token_format).toBe('jwt');
  expect(jwtMeta.client_id).not.toBe(refMeta.client_id);

  // Client credentials, reference format: prefixed opaque token (DESIGN §5).
  const refTokens = await oidc.clientCredentialsGrant(refClient, { scope: SCOPE });
  expect(refTokens.token_type.toLowerCase()).toBe('bearer');
  expect(refTokens.access_token).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
  expect(refTokens.scope).toBe(SCOPE);
  expect(refTokens.expiresIn()).toBeGreaterThan(0);
  expect(refTokens.refresh_token).toBeUndefined(); // RFC 6749 §4.4.3

  // Client credentials, JWT format: RFC 9068, verified against the server's /jwks.
  const jwtTokens = await oidc.clientCredentialsGrant(jwtClient, { scope: SCOPE });
  const jwt = jwtTokens.access_token;
  expect(jwt).not.toMatch(/^tsr_/);
  const header = decodeProtectedHeader(jwt);
  expect(header.typ).toBe('at+jwt');
  expect(header.kid).toEqual(expect.any(String));
  const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
  const { payload } = await jwtVerify(jwt, jwks, {
    issuer,
    audience: issuer, // no resource asked, no API registered → the issuer (audience-policy.ts)
    typ: 'at+jwt',
  });
  expect(payload).toMatchObject({ sub: jwtMeta.client_id, client_id: jwtMeta.client_id, scope: SCOPE });
  expect(payload.aud).toBe(issuer);
  expect(payload.jti).toEqual(expect.any(String));
  expect(payload.exp! - payload.iat!).toBe(jwtTokens.expires_in);

  // A scope beyond the registration: invalid_scope through openid-client.
  await expect(oidc.clientCredentialsGrant(refClient, { scope: `${SCOPE} admin` })).rejects.toMatchObject({
    error: 'invalid_scope',
    status: 400,
  });

  // Wrong secret: invalid_client (RFC 6749 §5.2) — for both authentication methods.
  const wrongBasic = await oidc.discovery(
    server,
    jwtMeta.client_id,
    undefined,
    oidc.ClientSecretBasic(randomBytes(32).toString('base64url')),
    insecure,
  );
  // With Basic, RFC 6749 §5.2 requires a WWW-Authenticate challenge; openid-client surfaces a
  // 401 carrying one as WWWAuthenticateChallengeError (challenges in `cause`, body in `response`).
  const basicFailure = await oidc.clientCredentialsGrant(wrongBasic, { scope: SCOPE }).catch((e: unknown) => e);
  expect(basicFailure).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
  const challenge = basicFailure as oidc.WWWAuthenticateChallengeError;
  expect(challenge.status).toBe(401);
  expect(challenge.cause).toEqual([expect.objectContaining({ scheme: 'basic' })]);
  expect(challenge.response.headers.get('cache-control')).toBe('no-store');
  expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  const wrongPost = await oidc.discovery(
    server,
    refMeta.client_id,
    undefined,
    oidc.ClientSecretPost(randomBytes(32).toString('base64url')),
    insecure,
  );
  await expect(oidc.clientCredentialsGrant(wrongPost, { scope: SCOPE })).rejects.toMatchObject({
    error: 'invalid_client',
    status: 401,
  });

  // RFC 7009 revocation of both; an unknown token is answered 200 too (§2.2).
  await oidc.tokenRevocation(refClient, refTokens.access_token, { token_type_hint: 'access_token' });
  await oidc.tokenRevocation(jwtClient, jwt);
  await oidc.tokenRevocation(refClient, `tsr_at_${randomBytes(32).toString('base64url')}`);
  // Revocation needs client authentication.
  await expect(oidc.tokenRevocation(wrongPost, refTokens.access_token)).rejects.toMatchObject({
    error: 'invalid_client',
  });

  // private_key_jwt (RFC 7523 §2.2, OIDC Core §9): registered with its public key only; openid-client signs
  // a fresh assertion (iss = sub = client_id, aud, jti, exp) for every request.
  expect(as.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  expect(as.token_endpoint_auth_signing_alg_values_supported).toContain('ES256');
  const clientKeys = await generateKeyPair('ES256', { extractable: true });
  const pkjClient = await oidc.dynamicClientRegistration(
    server,
    {
      client_name: 'e2e private_key_jwt',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(clientKeys.publicKey)), alg: 'ES256', use: 'sig' }] },
      scope: SCOPE,
    },
    oidc.PrivateKeyJwt(clientKeys.privateKey),
    { ...insecure, initialAccessToken: ADMIN_TOKEN },
  );
  expect(pkjClient.clientMetadata().client_secret).toBeUndefined();
  const pkjTokens = await oidc.clientCredentialsGrant(pkjClient, { scope: SCOPE });
  expect(pkjTokens.access_token).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
  await oidc.tokenRevocation(pkjClient, pkjTokens.access_token);
  // A key the client never registered: invalid_client.
  const impostor = await oidc.discovery(
    server,
    pkjClient.clientMetadata().client_id,
    undefined,
    oidc.PrivateKeyJwt((await generateKeyPair('ES256')).privateKey),
    insecure,
  );
  await expect(oidc.clientCredentialsGrant(impostor, { scope: SCOPE })).rejects.toMatchObject({
    error: 'invalid_client',
    status: 401,
  });

  return {
    reference: { token: refTokens.access_token, clientId: refMeta.client_id },
    jwt: { token: jwt, clientId: jwtMeta.client_id },
  };
}

describe('openid-client against the distributed token service (PostgreSQL + Kafka)', () => {
  let consumer: Consumer;
  const received: Array<{ key: string | null; value: Record<string, unknown> }> = [];

  beforeAll(async () => {
    fixture = await createPlatformFixture('e2e_oidc', allMigrations);
    db = fixture.database;
    prefix = fixture.topicPrefix;
    const kafka = new Kafka({ brokers: kafkaBrokers, clientId: 'e2e-oidc-consumer', logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `${prefix}-revocations` });
    await consumer.connect();
    await consumer.subscribe({ topic: topicNames(prefix).revocations, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key?.toString() ?? null, value: JSON.parse(message.value!.toString()) });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
  });

  it('discovers, registers, issues both formats, revokes, and publishes the revocation on iam.revocations', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const proc = start('token', {
      PORT: String(port),
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      TESSERA_KEK: KEK,
      TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
      TESSERA_ISSUER: issuer,
      TESSERA_TOPIC_PREFIX: prefix,
      TESSERA_LOG_LEVEL: 'warn',
    });
    await waitFor(proc, `${issuer}/health/ready`, (a) => a.status === 200);

    const { reference, jwt } = await openidClientFlow(issuer);

    // Every issuance and revocation is in the log, by handle only — never the token value.
    const pg = new PgClient({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ type: string; data: Record<string, unknown> }>(
        `SELECT type, data FROM eventlog.events WHERE stream_id = ANY($1) ORDER BY position`,
        [[`accesstoken-${handleOf(reference.token)}`, `accesstoken-${handleOf(jwt.token)}`]],
      );
      expect(rows.map((r) => [r.type, r.data.clientId])).toEqual([
        ['access-token.issued', reference.clientId],
        ['access-token.issued', jwt.clientId],
        ['access-token.revoked', reference.clientId],
        ['access-token.revoked', jwt.clientId],
      ]);
      const all = await pg.query<{ text: string }>(
        `SELECT string_agg(data::text || metadata::text, ' ') AS text FROM eventlog.events`,
      );
      expect(all.rows[0].text).not.toContain(reference.token);
      expect(all.rows[0].text).not.toContain(jwt.token);
    } finally {
      await pg.end();
    }

    // The relay publishes each revocation from the log: one CloudEvent per token, by handle.
    const deadline = Date.now() + 60_000;
    const wanted = [handleOf(reference.token), handleOf(jwt.token)];
    const find = (h: string) => received.find((m) => (m.value.data as { handles: string[] }).handles.includes(h));
    while (Date.now() < deadline && !wanted.every(find)) await new Promise((r) => setTimeout(r, 200));
    const refEvent = find(wanted[0]);
    const jwtEvent = find(wanted[1]);
    expect(refEvent).toBeDefined();
    expect(jwtEvent).toBeDefined();
    expect(refEvent!.key).toBe(reference.clientId); // keyed by subject; sub = client id for client credentials
    expect(refEvent!.value).toMatchObject({
      specversion: '1.0',
      type: 'tessera.revocation.v1',
      subject: reference.clientId,
      data: { handles: [wanted[0]], clientId: reference.clientId, sub: reference.clientId },
    });
    expect(jwtEvent!.value).toMatchObject({ data: { handles: [wanted[1]], clientId: jwt.clientId } });
    const wire = JSON.stringify(received);
    expect(wire).not.toContain(reference.token);
    expect(wire).not.toContain(jwt.token);
    expect(proc.stdout + proc.stderr).not.toContain(reference.token);
    expect(proc.stdout + proc.stderr).not.toContain(ADMIN_TOKEN);
  });
});

describe('openid-client against the standalone process (PGlite, in-process bus)', () => {
  it('discovers, registers, issues both formats and revokes', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const proc = start('standalone', {
      PORT: String(port),
      TESSERA_DATA_DIR: 'memory',
      TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
      TESSERA_ISSUER: issuer,
      TESSERA_LOG_LEVEL: 'warn',
    });
    await waitFor(proc, `${issuer}/health/ready`, (a) => a.status === 200, 90_000);
    const { reference } = await openidClientFlow(issuer);
    expect(proc.stdout + proc.stderr).not.toContain(reference.token);
  });
});
