import { accessTokenStream, PHANTOM_REFERENCE_CLAIM, TokenEvents, TokenExchangeEvents } from '@tessera/contracts';
import type { SigningKeys } from '@tessera/keys';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@tessera/oauth';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AtomicMemoryLog, fakeSigning, memoryIssuer, memoryScopes } from '../../test/exchange-doubles';
import type { RegisteredClient } from '../clients/registered-client';
import { TokenExchangeGrant } from '../grants/token-exchange.grant';
import { parseFormParams } from '../grants/token-params';
import { tokenHandle } from '../tokens/opaque-token';
import { PhantomJwtVerifier } from './phantom-jwt.verifier';
import { PresentedTokenLoader } from './presented-token.loader';

const ISSUER = 'https://issuer.example';
const ORDERS = 'https://issuer.example/api/orders';
const now = new Date('2030-01-01T00:00:00Z');
const nowS = now.getTime() / 1000;

const ordersApi = {
  clientId: 'orders-api',
  grantTypes: [TOKEN_EXCHANGE_GRANT_TYPE],
  scopes: [],
  accessTokenFormat: 'jwt',
  tokenExchangePolicy: { billing: ['billing_read'] },
} as unknown as RegisteredClient;

/** The grant over a fake log, with the introspection service's key (the phantom signer) published. */
async function setup() {
  const log = new AtomicMemoryLog();
  const signing = fakeSigning();
  const issuer = memoryIssuer(
    log,
    signing.signer,
    { orders_read: ['account_nr'], billing_read: ['account_nr'] },
    ISSUER,
  );
  const introspectionKey = await generateKeyPair('ES256', { extractable: true });
  const tokenKey = await generateKeyPair('ES256', { extractable: true });
  const published = [
    { kid: 'phantom', owner: 'introspection', alg: 'ES256', publicJwk: await exportJWK(introspectionKey.publicKey) },
    { kid: 'token', owner: 'token', alg: 'ES256', publicJwk: await exportJWK(tokenKey.publicKey) },
  ];
  const keys = { owner: 'token', published: async () => published } as unknown as SigningKeys;
  const loader = new PresentedTokenLoader(log, signing.check, new PhantomJwtVerifier(keys, { issuer: ISSUER }));
  const grant = new TokenExchangeGrant(
    loader,
    issuer,
    log,
    { issuer: ISSUER },
    memoryScopes({ orders_read: ['account_nr'], billing_read: ['account_nr'] }),
  );
  const opaque = (
    await issuer.issue({
      clientId: 'web',
      format: 'reference',
      sub: 'alice',
      scopes: ['orders_read', 'billing_read'],
      audience: [ORDERS],
      claims: { account_nr: 'acct-1' },
      meta: { now, actor: 'client:web' },
    })
  ).access_token;
  /** What the gateway mints for `opaque` (apps/introspection/src/gateway/phantom-token.service.ts). */
  const phantom = (over: Record<string, unknown> = {}, kid = 'phantom', key = introspectionKey.privateKey) =>
    new SignJWT({
      account_nr: 'acct-1',
      iss: ISSUER,
      sub: 'alice',
      aud: ORDERS,
      client_id: 'web',
      scope: 'orders_read billing_read',
      jti: 'phantom-jti',
      iat: nowS,
      exp: nowS + 120,
      [PHANTOM_REFERENCE_CLAIM]: tokenHandle(opaque),
      ...over,
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(key);
  const exchange = (subject: string) =>
    grant.handle(
      parseFormParams({
        grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
        subject_token: subject,
        subject_token_type: ACCESS_TOKEN_TYPE,
        audience: 'billing',
        scope: 'billing_read',
      }),
      ordersApi,
      { now, actor: 'client:orders-api' },
    );
  const refusal = (subject: string) =>
    exchange(subject).then(
      () => null,
      (e: { error?: string }) => e.error,
    );
  return { log, signing, opaque, phantom, exchange, refusal, tokenKey };
}

describe('token exchange from a phantom JWT (issue 6 §3: an API behind the gateway exchanges what it holds)', () => {
  it('stands for the reference token: its lineage, its claims, no longer than the phantom JWT', async () => {
    const { log, signing, opaque, phantom, exchange } = await setup();
    const issued = await exchange(await phantom());
    const claims = signing.payloadOf(issued.access_token);
    expect(claims).toMatchObject({
      sub: 'alice',
      aud: 'billing',
      scope: 'billing_read',
      act: { sub: 'orders-api' },
      account_nr: 'acct-1',
    });
    expect(claims.exp).toBeLessThanOrEqual(nowS + 120);
    // The lineage link is on the reference token's stream: revoking it revokes the exchanged token.
    const parent = await log.readStream(accessTokenStream(tokenHandle(opaque)));
    expect(parent.map((e) => e.type)).toContain(TokenExchangeEvents.tokenExchanged);
    expect(parent.at(-1)?.data).toMatchObject({ handle: tokenHandle(issued.access_token) });
  });

  it('is refused (invalid_request) when forged, expired, not the gateway’s, unlinked, or its token is gone', async () => {
    const { phantom, refusal, tokenKey } = await setup();
    const good = await phantom();
    expect(await refusal(`${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(86)}`)).toBe('invalid_request');
    expect(await refusal(await phantom({ exp: nowS - 1 }))).toBe('invalid_request');
    expect(await refusal(await phantom({}, 'token', tokenKey.privateKey))).toBe('invalid_request');
    expect(await refusal(await phantom({ iss: 'https://evil.example' }))).toBe('invalid_request');
    expect(await refusal(await phantom({ [PHANTOM_REFERENCE_CLAIM]: undefined }))).toBe('invalid_request');
    expect(await refusal(await phantom({ [PHANTOM_REFERENCE_CLAIM]: tokenHandle('tsr_at_other') }))).toBe(
      'invalid_request',
    );
    expect(await refusal(await phantom({ sub: 'mallory' }))).toBe('invalid_request');
  });

  it('is refused once the reference token is revoked', async () => {
    const { log, opaque, phantom, refusal } = await setup();
    const stream = accessTokenStream(tokenHandle(opaque));
    await log.append(stream, (await log.readStream(stream)).length, [
      {
        type: TokenEvents.accessTokenRevoked,
        data: {
          handle: tokenHandle(opaque),
          clientId: 'web',
          sub: 'alice',
          reason: 'client_request',
          revokedAt: now.toISOString(),
        },
      },
    ]);
    expect(await refusal(await phantom())).toBe('invalid_request');
  });
});
