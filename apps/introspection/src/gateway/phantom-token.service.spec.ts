import type { Logger } from '@tessera/telemetry';
import type { JWTPayload } from 'jose';
import type { ActiveToken, TokenIntrospector } from '../introspection/active-token';
import type { JwtSigner } from '../keys/jwt-signer';
import { PhantomTokenService } from './phantom-token.service';
import { defaultPhantomTokenSettings } from './phantom-token.settings';

const ISSUER = 'https://id.example';
const API = 'https://api.example/orders';
const OPAQUE = 'tsr_at_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const T0 = 1_800_000_000; // seconds

/** A live reference token as the introspector would answer it. */
function activeToken(overrides: Partial<ActiveToken> = {}): ActiveToken {
  return {
    handle: 'handle-1',
    clientId: 'client-1',
    sub: 'user-1',
    scope: 'orders_read',
    aud: [API],
    format: 'reference',
    jti: 'reference-jti',
    iat: T0 - 60,
    exp: T0 + 3600,
    claims: { account_nr: '42' },
    ...overrides,
  };
}

/** Knows one token value; `revoke()` makes it inactive, like a revocation event would. */
class FakeIntrospector implements TokenIntrospector {
  calls: string[] = [];
  private live = new Map<string, ActiveToken>();
  add(value: string, token: ActiveToken) {
    this.live.set(value, token);
  }
  revoke(value: string) {
    this.live.delete(value);
  }
  async introspect(token: string): Promise<ActiveToken | null> {
    this.calls.push(token);
    return this.live.get(token) ?? null;
  }
}

/** Records what it signs; the "JWT" carries the payload so tests can read it back. */
class FakeSigner implements JwtSigner {
  signed: Array<{ payload: JWTPayload; typ: string }> = [];
  async sign(payload: JWTPayload, options: { typ: string }): Promise<string> {
    this.signed.push({ payload, typ: options.typ });
    return `jwt.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${this.signed.length}`;
  }
}

const payloadOf = (jwt: string): JWTPayload => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** Keeps what is warned, to check the misconfiguration warning and that no token is in it. */
class RecordingLogger implements Logger {
  warnings: string[] = [];
  debug() {}
  info() {}
  error() {}
  warn(obj: object | string, msg?: string) {
    this.warnings.push(JSON.stringify([obj, msg]));
  }
}

function setup(settings = defaultPhantomTokenSettings) {
  const introspector = new FakeIntrospector();
  const signer = new FakeSigner();
  const logger = new RecordingLogger();
  let nowMs = T0 * 1000;
  const clock = () => nowMs;
  const service = new PhantomTokenService({ introspector, signer, issuer: ISSUER, settings, clock, logger });
  return {
    introspector,
    signer,
    service,
    logger,
    advance: (seconds: number) => (nowMs += seconds * 1000),
  };
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}`, audience: API });
const refusedWith = (reason: string, challenge = 'Bearer realm="tessera", error="invalid_token"') => ({
  allowed: false,
  reason,
  challenge,
});

describe('PhantomTokenService', () => {
  describe('refuses', () => {
    it('a request without Authorization, with the RFC 6750 §3.1 challenge without an error code', async () => {
      const { service, introspector } = setup();
      expect(await service.decide({ authorization: undefined, audience: API })).toEqual(
        refusedWith('no_bearer_token', 'Bearer realm="tessera"'),
      );
      expect(introspector.calls).toEqual([]);
    });

    it('a non-Bearer scheme or a malformed Bearer header, without introspecting', async () => {
      const { service, introspector } = setup();
      for (const authorization of ['Basic Y2xpZW50OnNlY3JldA==', 'Bearer', 'Bearer a b', `Token ${OPAQUE}`]) {
        expect(await service.decide({ authorization, audience: API })).toMatchObject({
          allowed: false,
          reason: 'no_bearer_token',
        });
      }
      expect(await service.decide({ authorization: [`Bearer ${OPAQUE}`, 'Bearer x'], audience: API })).toMatchObject({
        allowed: false,
      });
      expect(introspector.calls).toEqual([]);
    });

    it('a token the introspector does not know (unknown, expired, revoked)', async () => {
      const { service, signer } = setup();
      expect(await service.decide(bearer(OPAQUE))).toEqual(refusedWith('inactive_token'));
      expect(signer.signed).toEqual([]);
    });

    it('a JWT-format access token presented by a client', async () => {
      const { service, introspector, signer } = setup();
      const jwtValue = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
      introspector.add(jwtValue, activeToken({ format: 'jwt' }));
      expect(await service.decide(bearer(jwtValue))).toEqual(refusedWith('jwt_presented'));
      expect(signer.signed).toEqual([]);
    });

    it('a token whose aud does not contain the API audience nginx names', async () => {
      const { service, introspector, signer } = setup();
      introspector.add(OPAQUE, activeToken({ aud: ['https://api.example/other', ISSUER] }));
      expect(await service.decide(bearer(OPAQUE))).toEqual(refusedWith('audience_mismatch'));
      expect(signer.signed).toEqual([]);
    });

    it('a request without an API audience (a misconfigured gateway), warning once, never "any audience"', async () => {
      const { service, introspector, signer, logger } = setup();
      introspector.add(OPAQUE, activeToken({ aud: [API, ISSUER] }));
      for (const audience of [undefined, '', '  ']) {
        expect(await service.decide({ authorization: `Bearer ${OPAQUE}`, audience })).toEqual(
          refusedWith('no_audience_header'),
        );
      }
      expect(signer.signed).toEqual([]);
      expect(introspector.calls).toEqual([]);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toContain('x-tessera-audience');
      expect(logger.warnings[0]).not.toContain(OPAQUE);
    });

    it('a repeated audience header, which Node joins into one value no token has', async () => {
      const { service, introspector } = setup();
      introspector.add(OPAQUE, activeToken());
      expect(await service.decide({ authorization: `Bearer ${OPAQUE}`, audience: `${API}, ${API}` })).toEqual(
        refusedWith('audience_mismatch'),
      );
    });

    it('a token past its exp even if the introspector still answered it', async () => {
      const { service, introspector } = setup();
      introspector.add(OPAQUE, activeToken({ exp: T0 }));
      expect(await service.decide(bearer(OPAQUE))).toEqual(refusedWith('inactive_token'));
    });
  });

  describe('lets through', () => {
    it('a live reference token with an RFC 9068 JWT for the API audience', async () => {
      const { service, introspector, signer } = setup();
      introspector.add(OPAQUE, activeToken({ act: { sub: 'service-a' } }));
      const decision = await service.decide(bearer(OPAQUE));
      expect(decision).toMatchObject({ allowed: true, exp: T0 + 120, reused: false });
      expect(introspector.calls).toEqual([OPAQUE]);
      expect(signer.signed).toHaveLength(1);
      expect(signer.signed[0].typ).toBe('at+jwt');
      const payload = payloadOf((decision as { jwt: string }).jwt);
      expect(payload).toEqual({
        account_nr: '42',
        iss: ISSUER,
        sub: 'user-1',
        aud: API,
        client_id: 'client-1',
        scope: 'orders_read',
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iat: T0,
        exp: T0 + 120,
        act: { sub: 'service-a' },
        tsr_ref: 'handle-1',
      });
      expect(payload.jti).not.toBe('reference-jti');
      expect(JSON.stringify(payload)).not.toContain(OPAQUE);
    });

    it("for a token with several audiences, a JWT for the gateway's API only", async () => {
      const { service, introspector } = setup();
      introspector.add(OPAQUE, activeToken({ aud: [API, ISSUER] }));
      const decision = await service.decide(bearer(OPAQUE));
      expect(payloadOf((decision as { jwt: string }).jwt).aud).toBe(API);
    });

    it('released claims never shadow the registered ones', async () => {
      const { service, introspector } = setup();
      introspector.add(OPAQUE, activeToken({ claims: { iss: 'https://evil.example', sub: 'root', email: 'a@b' } }));
      const decision = await service.decide(bearer(OPAQUE));
      expect(payloadOf((decision as { jwt: string }).jwt)).toMatchObject({
        iss: ISSUER,
        sub: 'user-1',
        email: 'a@b',
      });
    });

    it("caps exp at the reference token's exp", async () => {
      const { service, introspector } = setup();
      introspector.add(OPAQUE, activeToken({ exp: T0 + 45 }));
      const decision = await service.decide(bearer(OPAQUE));
      expect(decision).toMatchObject({ allowed: true, exp: T0 + 45 });
      expect(payloadOf((decision as { jwt: string }).jwt).exp).toBe(T0 + 45);
    });
  });

  describe('reuses minted JWTs', () => {
    it('per (token, audience) while enough life is left, introspecting every time', async () => {
      const { service, introspector, signer, advance } = setup();
      introspector.add(OPAQUE, activeToken({ aud: [API, 'https://api.example/b'] }));
      const first = await service.decide(bearer(OPAQUE));
      advance(60);
      const again = await service.decide(bearer(OPAQUE));
      expect(again).toEqual({ ...first, reused: true });
      const other = await service.decide({ authorization: `Bearer ${OPAQUE}`, audience: 'https://api.example/b' });
      expect(other).toMatchObject({ allowed: true, reused: false });
      expect(payloadOf((other as { jwt: string }).jwt).aud).toBe('https://api.example/b');
      expect(introspector.calls).toHaveLength(3);
      expect(signer.signed).toHaveLength(2);
    });

    it('not once fewer than minRemainingSeconds are left: a fresh JWT is minted', async () => {
      const { service, introspector, signer, advance } = setup();
      introspector.add(OPAQUE, activeToken());
      const first = await service.decide(bearer(OPAQUE));
      advance(91); // 29 s left of 120
      const next = await service.decide(bearer(OPAQUE));
      expect(next).toMatchObject({ allowed: true, reused: false, exp: T0 + 91 + 120 });
      expect((next as { jwt: string }).jwt).not.toBe((first as { jwt: string }).jwt);
      expect(signer.signed).toHaveLength(2);
    });

    it('never after revocation: the cached JWT is not handed out again', async () => {
      const { service, introspector, signer } = setup();
      introspector.add(OPAQUE, activeToken());
      expect(await service.decide(bearer(OPAQUE))).toMatchObject({ allowed: true });
      introspector.revoke(OPAQUE);
      expect(await service.decide(bearer(OPAQUE))).toEqual(refusedWith('inactive_token'));
      expect(introspector.calls).toEqual([OPAQUE, OPAQUE]);
      expect(signer.signed).toHaveLength(1);
    });

    it('in a bounded cache: the oldest entry is dropped', async () => {
      const { service, introspector, signer } = setup({ ...defaultPhantomTokenSettings, cacheMaxEntries: 2 });
      for (const n of [1, 2, 3]) introspector.add(`tsr_at_${n}`, activeToken({ handle: `h${n}` }));
      for (const n of [1, 2, 3]) await service.decide(bearer(`tsr_at_${n}`));
      expect(await service.decide(bearer('tsr_at_3'))).toMatchObject({ reused: true });
      expect(await service.decide(bearer('tsr_at_1'))).toMatchObject({ reused: false });
      expect(signer.signed).toHaveLength(4);
    });
  });
});
