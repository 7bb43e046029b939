import {
  accessTokenStream,
  refreshFamilyStream,
  TokenEvents,
  TokenExchangeEvents,
  type TokenExchangedData,
} from '@tessera/contracts';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@tessera/oauth';
import { AtomicMemoryLog, fakeSigning, memoryIssuer, memoryScopes } from '../../test/exchange-doubles';
import type { TokenClientAuthenticator } from '../clients/token-client.authenticator';
import type { RegisteredClient } from '../clients/registered-client';
import { PresentedTokenLoader } from '../token-exchange/presented-token.loader';
import { MAX_ACTOR_CHAIN_DEPTH } from '../token-exchange/token-exchange.settings';
import { tokenHandle } from '../tokens/opaque-token';
import type { ScopeRequirement, ScopeRequirements } from '../tokens/token-ports';
import { TokenEndpoint } from './token-endpoint.service';
import { TokenExchangeGrant } from './token-exchange.grant';

const ISSUER = 'https://issuer.example';
const ORDERS = 'https://orders.example';
const BILLING = 'https://billing.example';
const LEDGER = 'https://ledger.example';
const start = new Date('2030-01-01T00:00:00Z');

const serviceClient = (clientId: string, policy: Record<string, string[]>, grant = true): RegisteredClient =>
  ({
    clientId,
    grantTypes: grant ? [TOKEN_EXCHANGE_GRANT_TYPE] : ['client_credentials'],
    scopes: [],
    accessTokenFormat: 'jwt',
    tokenExchangePolicy: policy,
  }) as unknown as RegisteredClient;

/** The token endpoint with only the exchange grant, over a fake log and signer; `as` picks the calling client. */
function setup(scopes: ScopeRequirements = memoryScopes()) {
  const log = new AtomicMemoryLog();
  const signing = fakeSigning();
  const issuer = memoryIssuer(log, signing.signer, {}, ISSUER);
  let now = start;
  const grant = new TokenExchangeGrant(
    new PresentedTokenLoader(log, signing.check),
    issuer,
    log,
    { issuer: ISSUER },
    scopes,
  );
  let caller: RegisteredClient = serviceClient('svc-b', { [BILLING]: ['billing_read'] });
  const endpoint = new TokenEndpoint(
    [grant],
    {
      authenticate: async () => ({ client: caller, guard: null, cached: false }),
    } as unknown as TokenClientAuthenticator,
    () => now,
  );
  /** A user's token from the app (client credentials issuance path, any format). */
  const userToken = async (
    opts: { scope?: string; format?: 'jwt' | 'reference'; claims?: Record<string, unknown> } = {},
  ) =>
    (
      await issuer.issue({
        clientId: 'app',
        format: opts.format ?? 'reference',
        sub: 'alice',
        scopes: (opts.scope ?? 'openid billing_read billing_write').split(' '),
        audience: [ORDERS],
        ...(opts.claims ? { claims: opts.claims } : {}),
        meta: { now, actor: 'client:app' },
      })
    ).access_token;
  const exchange = (client: RegisteredClient, form: Record<string, string | string[]>) => {
    caller = client;
    return endpoint.handle(
      {},
      { grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token_type: ACCESS_TOKEN_TYPE, ...form },
    );
  };
  const refusal = async (client: RegisteredClient, form: Record<string, string | string[]>) => {
    const before = log.events.length;
    const err = await exchange(client, form).then(
      () => null,
      (e: { error?: string }) => e,
    );
    expect(log.events.length).toBe(before); // a refusal writes nothing
    return err?.error;
  };
  /** A user's access token with a refresh family, as the authorization code grant issues it. */
  const familyToken = async () =>
    (
      await issuer.issue({
        clientId: 'app',
        format: 'reference',
        sub: 'alice',
        scopes: ['billing_read'],
        audience: [ORDERS],
        refreshToken: true,
        meta: { now: start, actor: 'client:app' },
      })
    ).access_token;
  /** Revokes the token's refresh family on the family's stream only (as a guard on it must catch). */
  const revokeFamilyOf = async (token: string) => {
    const [issued] = await log.readStream(accessTokenStream(tokenHandle(token)));
    const familyId = String(issued.data.familyId);
    await log.append(refreshFamilyStream(familyId), 1, [
      { type: TokenEvents.refreshFamilyRevoked, data: { familyId, reason: 'revoked_by_client' } },
    ]);
  };
  return {
    log,
    signing,
    issuer,
    exchange,
    refusal,
    userToken,
    familyToken,
    revokeFamilyOf,
    setNow: (d: Date) => (now = d),
  };
}

describe('token exchange grant (RFC 8693)', () => {
  const svcB = serviceClient('svc-b', { [BILLING]: ['billing_read'] });
  const svcC = serviceClient('svc-c', { [LEDGER]: ['billing_read'] });

  it('issues a narrower JWT for one audience with act, parent handle and an audit event, no refresh token', async () => {
    const t = setup();
    const subject = await t.userToken();
    const res = await t.exchange(svcB, { subject_token: subject, audience: BILLING });
    expect(res).toEqual({
      access_token: expect.any(String),
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'billing_read',
    });
    const payload = t.signing.payloadOf(res.access_token);
    expect(payload).toMatchObject({
      sub: 'alice',
      aud: BILLING,
      client_id: 'svc-b',
      scope: 'billing_read',
      act: { sub: 'svc-b' },
    });
    const handle = tokenHandle(res.access_token);
    const [issued] = await t.log.readStream(accessTokenStream(handle));
    expect(issued.data).toMatchObject({ format: 'jwt', parentHandle: tokenHandle(subject), act: { sub: 'svc-b' } });
    const parent = await t.log.readStream(accessTokenStream(tokenHandle(subject)));
    expect(parent.map((e) => e.type)).toEqual([TokenEvents.accessTokenIssued, TokenExchangeEvents.tokenExchanged]);
    expect(parent[1].data).toEqual({
      handle,
      parentHandle: tokenHandle(subject),
      clientId: 'svc-b',
      sub: 'alice',
      act: { sub: 'svc-b' },
      audience: BILLING,
      scope: 'billing_read',
      droppedScopes: ['openid', 'billing_write'],
      exchangedAt: start.toISOString(),
      expiresAt: new Date(start.getTime() + 300_000).toISOString(),
    } satisfies TokenExchangedData);
    expect(JSON.stringify(t.log.events)).not.toContain(subject);
    expect(JSON.stringify(t.log.events)).not.toContain(res.access_token);
  });

  it('nests act over two hops and accepts the JWT subject token type for a JWT', async () => {
    const t = setup();
    const first = await t.exchange(svcB, { subject_token: await t.userToken(), audience: BILLING });
    const second = await t.exchange(svcC, {
      subject_token: first.access_token,
      subject_token_type: JWT_TOKEN_TYPE,
      resource: LEDGER,
    });
    expect(t.signing.payloadOf(second.access_token)).toMatchObject({
      sub: 'alice',
      aud: LEDGER,
      client_id: 'svc-c',
      act: { sub: 'svc-c', act: { sub: 'svc-b' } },
    });
    const [issued] = await t.log.readStream(accessTokenStream(tokenHandle(second.access_token)));
    expect(issued.data.parentHandle).toBe(tokenHandle(first.access_token));
  });

  it('never outlives the subject token', async () => {
    const t = setup();
    const subject = await t.userToken(); // 900 s
    t.setNow(new Date(start.getTime() + 800_000));
    const res = await t.exchange(svcB, { subject_token: subject, audience: BILLING });
    expect(res.expires_in).toBe(100);
    expect(t.signing.payloadOf(res.access_token).exp).toBe(start.getTime() / 1000 + 900);
  });

  it('unauthorized_client: a client without the grant type', async () => {
    const t = setup();
    const subject = await t.userToken();
    expect(
      await t.refusal(serviceClient('m2m', { [BILLING]: ['billing_read'] }, false), {
        subject_token: subject,
        audience: BILLING,
      }),
    ).toBe('unauthorized_client');
  });

  it('invalid_target: an audience outside the policy, or more than one', async () => {
    const t = setup();
    const subject = await t.userToken();
    expect(await t.refusal(svcB, { subject_token: subject, audience: LEDGER })).toBe('invalid_target');
    expect(await t.refusal(svcB, { subject_token: subject, audience: [BILLING, LEDGER] })).toBe('invalid_target');
    expect(await t.refusal(svcB, { subject_token: subject, audience: BILLING, resource: LEDGER })).toBe(
      'invalid_target',
    );
  });

  it('invalid_scope: a scope the subject does not hold, or beyond the allowance; never widened', async () => {
    const t = setup();
    const narrow = await t.userToken({ scope: 'openid' });
    const full = await t.userToken();
    expect(await t.refusal(svcB, { subject_token: narrow, audience: BILLING, scope: 'billing_read' })).toBe(
      'invalid_scope',
    );
    expect(await t.refusal(svcB, { subject_token: narrow, audience: BILLING })).toBe('invalid_scope');
    expect(await t.refusal(svcB, { subject_token: full, audience: BILLING, scope: 'billing_write' })).toBe(
      'invalid_scope',
    );
    expect(await t.refusal(svcB, { subject_token: full, audience: BILLING, scope: 'billing_read admin' })).toBe(
      'invalid_scope',
    );
  });

  it('invalid_request: unknown, forged, mistyped, expired or revoked subject tokens', async () => {
    const t = setup();
    const reference = await t.userToken();
    const jwt = await t.userToken({ format: 'jwt' });
    const [h, p] = jwt.split('.');
    const cases: [string, Record<string, string>][] = [
      ['unknown', { subject_token: 'tsr_at_' + 'x'.repeat(43) }],
      ['forged (unknown JWT)', { subject_token: `${h}.${p}.forged` }],
      ['mistyped (opaque declared jwt)', { subject_token: reference, subject_token_type: JWT_TOKEN_TYPE }],
      [
        'unsupported subject_token_type',
        { subject_token: reference, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
      ],
      ['missing subject_token', {}],
      [
        'requested_token_type other than access_token',
        { subject_token: reference, requested_token_type: JWT_TOKEN_TYPE },
      ],
      ['actor_token without its type', { subject_token: reference, actor_token: reference }],
    ];
    for (const [why, form] of cases) {
      expect([why, await t.refusal(svcB, { audience: BILLING, ...form })]).toEqual([why, 'invalid_request']);
    }
    t.setNow(new Date(start.getTime() + 900_000));
    expect(await t.refusal(svcB, { subject_token: reference, audience: BILLING })).toBe('invalid_request');
  });

  it('invalid_request: a JWT the log knows but whose signature is not ours (keys check)', async () => {
    const t = setup();
    const jwt = await t.userToken({ format: 'jwt' });
    const grantLoader = new PresentedTokenLoader(t.log, { verify: async () => false });
    await expect(grantLoader.load({ token: jwt, type: JWT_TOKEN_TYPE }, 'subject_token', start)).rejects.toMatchObject({
      error: 'invalid_request',
    });
  });

  it('invalid_request: a revoked subject token, or one whose refresh family is revoked', async () => {
    const t = setup();
    const subject = await t.userToken();
    await t.log.append(accessTokenStream(tokenHandle(subject)), 1, [
      { type: TokenEvents.accessTokenRevoked, data: { handle: tokenHandle(subject), reason: 'revoked_by_client' } },
    ]);
    expect(await t.refusal(svcB, { subject_token: subject, audience: BILLING })).toBe('invalid_request');

    const withFamily = await t.familyToken();
    await t.revokeFamilyOf(withFamily);
    expect(await t.refusal(svcB, { subject_token: withFamily, audience: BILLING })).toBe('invalid_request');
  });

  it('takes the actor from the actor token, which must be the calling client’s own', async () => {
    const t = setup();
    const subject = await t.userToken();
    const own = (
      await t.issuer.issue({
        clientId: 'svc-b',
        format: 'reference',
        sub: 'svc-b',
        scopes: [],
        audience: [ISSUER],
        meta: { now: start, actor: 'client:svc-b' },
      })
    ).access_token;
    const res = await t.exchange(svcB, {
      subject_token: subject,
      audience: BILLING,
      actor_token: own,
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(t.signing.payloadOf(res.access_token).act).toEqual({ sub: 'svc-b' });
    // A user's token issued to svc-b is not svc-b's own: it must not make that user the actor.
    const usersTokenOfB = (
      await t.issuer.issue({
        clientId: 'svc-b',
        format: 'reference',
        sub: 'mallory',
        scopes: [],
        audience: [ISSUER],
        meta: { now: start, actor: 'user:mallory' },
      })
    ).access_token;
    expect(
      await t.refusal(svcB, {
        subject_token: subject,
        audience: BILLING,
        actor_token: usersTokenOfB,
        actor_token_type: ACCESS_TOKEN_TYPE,
      }),
    ).toBe('invalid_request');
    expect(
      await t.refusal(svcC, {
        subject_token: subject,
        audience: LEDGER,
        actor_token: own,
        actor_token_type: ACCESS_TOKEN_TYPE,
      }),
    ).toBe('invalid_request');
  });

  it(`refuses a delegation chain longer than ${MAX_ACTOR_CHAIN_DEPTH} actors with invalid_request`, async () => {
    const t = setup();
    let token = await t.userToken();
    for (let hop = 1; hop <= MAX_ACTOR_CHAIN_DEPTH; hop++) {
      token = (await t.exchange(svcB, { subject_token: token, audience: BILLING })).access_token;
    }
    expect(await t.refusal(svcB, { subject_token: token, audience: BILLING })).toBe('invalid_request');
  });

  it('decides again when the subject was revoked between its read and the append', async () => {
    const t = setup();
    const subject = await t.userToken();
    t.log.beforeAppend = async () => {
      await t.log.append(accessTokenStream(tokenHandle(subject)), 1, [
        { type: TokenEvents.accessTokenRevoked, data: { handle: tokenHandle(subject), reason: 'revoked_by_client' } },
      ]);
    };
    await expect(t.exchange(svcB, { subject_token: subject, audience: BILLING })).rejects.toMatchObject({
      error: 'invalid_request',
    });
    expect(t.log.ofType(TokenExchangeEvents.tokenExchanged)).toHaveLength(0);
  });

  it('appends again, same token, when only sibling exchanges of the subject came in between', async () => {
    const t = setup();
    const subject = await t.userToken();
    const parent = accessTokenStream(tokenHandle(subject));
    // Two sibling exchanges land between this exchange's read and its append (and again on its retry).
    const sibling = () => t.exchange(svcB, { subject_token: subject, audience: BILLING });
    const sign = jest.spyOn(t.signing.signer, 'sign');
    t.log.beforeAppend = async () => {
      await sibling();
      t.log.beforeAppend = async () => {
        await sibling();
      };
    };
    const res = await t.exchange(svcB, { subject_token: subject, audience: BILLING });
    const children = (await t.log.readStream(parent)).filter((e) => e.type === TokenExchangeEvents.tokenExchanged);
    expect(children).toHaveLength(3);
    expect(children[2].data.handle).toBe(tokenHandle(res.access_token));
    expect(children[2].streamVersion).toBe(4);
    // Decided and signed once (the two siblings sign once each): the token appended is the one returned.
    expect(sign).toHaveBeenCalledTimes(3);
    expect(t.log.ofType(TokenEvents.accessTokenIssued)).toHaveLength(4);
    const [issued] = await t.log.readStream(accessTokenStream(tokenHandle(res.access_token)));
    expect(issued.data.parentHandle).toBe(tokenHandle(subject));
  });

  it('refuses with invalid_request when a revocation follows a sibling exchange in between', async () => {
    const t = setup();
    const subject = await t.userToken();
    const parent = accessTokenStream(tokenHandle(subject));
    t.log.beforeAppend = async () => {
      await t.exchange(svcB, { subject_token: subject, audience: BILLING });
      await t.log.append(parent, 2, [
        { type: TokenEvents.accessTokenRevoked, data: { handle: tokenHandle(subject), reason: 'revoked_by_client' } },
      ]);
    };
    await expect(t.exchange(svcB, { subject_token: subject, audience: BILLING })).rejects.toMatchObject({
      error: 'invalid_request',
    });
    expect(t.log.ofType(TokenExchangeEvents.tokenExchanged)).toHaveLength(1);
  });

  it('concurrent exchanges of one subject all succeed, each recorded once on its stream', async () => {
    const t = setup();
    const subject = await t.userToken();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.exchange(svcB, { subject_token: subject, audience: BILLING })),
    );
    const parent = await t.log.readStream(accessTokenStream(tokenHandle(subject)));
    const children = parent.filter((e) => e.type === TokenExchangeEvents.tokenExchanged).map((e) => e.data.handle);
    expect([...children].sort()).toEqual(results.map((r) => tokenHandle(r.access_token)).sort());
    expect(new Set(children).size).toBe(10);
  });

  it('exchanges a subject again from its cached fold, and still refuses it once revoked or its family is', async () => {
    const t = setup();
    const subject = await t.userToken();
    const stream = accessTokenStream(tokenHandle(subject));
    await t.exchange(svcB, { subject_token: subject, audience: BILLING });
    const reads = jest.spyOn(t.log, 'readStream');
    await t.exchange(svcB, { subject_token: subject, audience: BILLING });
    expect(reads.mock.calls.filter(([id]) => id === stream)).toHaveLength(0);
    expect((await t.log.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    // Revoked after it was cached: the exchange's append expects version 3, so it fails and decides from the log.
    await t.log.append(stream, 3, [
      { type: TokenEvents.accessTokenRevoked, data: { handle: tokenHandle(subject), reason: 'revoked_by_client' } },
    ]);
    expect(await t.refusal(svcB, { subject_token: subject, audience: BILLING })).toBe('invalid_request');

    const withFamily = await t.familyToken();
    await t.exchange(svcB, { subject_token: withFamily, audience: BILLING });
    // Only the family's stream records it (the guard on the family's version catches it).
    await t.revokeFamilyOf(withFamily);
    expect(await t.refusal(svcB, { subject_token: withFamily, audience: BILLING })).toBe('invalid_request');
  });

  it('decides again from the log when a granted scope was redefined after its definition was cached', async () => {
    // A catalogue whose cached answer goes stale: the guard on the scope's stream is what catches it.
    let defined: string[] = [];
    let cached: ScopeRequirement[] | null = null;
    const scopeStream = 'scope-billing_read';
    const t = setup({
      get: async () => [{ name: 'billing_read', requiredClaims: defined }],
      getGuarded: async () => {
        const fresh = cached === null;
        cached ??= [{ name: 'billing_read', requiredClaims: defined }];
        return {
          requirements: cached,
          guards: [{ streamId: scopeStream, version: cached[0].requiredClaims.length }],
          fresh,
        };
      },
      forget: () => {
        cached = null;
      },
    });
    const subject = await t.userToken();
    await t.exchange(svcB, { subject_token: subject, audience: BILLING });
    // An admin makes billing_read require a claim alice's token does not carry.
    defined = ['account_nr'];
    await t.log.append(scopeStream, 0, [{ type: 'scope.defined', data: { claims: defined } }]);
    expect(await t.refusal(svcB, { subject_token: subject, audience: BILLING })).toBe('invalid_scope');
  });
});
