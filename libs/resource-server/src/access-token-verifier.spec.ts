import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { InvalidTokenError, ServerError } from '@tessera/oauth';
import {
  accessTokenClaims,
  sign,
  startJwksServer,
  testKey,
  unsecured,
  type JwksServer,
  type TestKey,
} from '../test/issuer.fixture';
import { AccessTokenVerifier } from './access-token-verifier';
import type { AccessTokenVerifierOptions } from './resource-server.options';
import { RevocationList, tokenHandle } from './revocation-list';

const ISSUER = 'https://iam.example';
const AUDIENCE = 'https://orders.example';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AccessTokenVerifier (RFC 8725, RFC 9068)', () => {
  let es256: TestKey;
  let ed25519: TestKey;
  let jwks: JwksServer;
  let verifier: AccessTokenVerifier;
  const claims = (extra = {}) => accessTokenClaims(ISSUER, AUDIENCE, extra);
  const options = (extra: Partial<AccessTokenVerifierOptions> = {}): AccessTokenVerifierOptions => ({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: jwks.url,
    ...extra,
  });

  /** The reason a token is refused with: always an `InvalidTokenError`, never echoing the token. */
  async function refusal(token: string, v = verifier): Promise<string> {
    const err = await v.verify(token).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidTokenError);
    const invalid = err as InvalidTokenError;
    expect(invalid.error).toBe('invalid_token');
    expect(invalid.status).toBe(401);
    expect(invalid.message).not.toContain(token.split('.')[1] ?? token);
    return invalid.description ?? '';
  }

  beforeAll(async () => {
    es256 = await testKey('ES256');
    ed25519 = await testKey('EdDSA');
    jwks = await startJwksServer([es256, ed25519]);
  });
  beforeEach(() => {
    verifier = new AccessTokenVerifier(options());
  });
  afterAll(() => jwks.close());

  describe('accepts', () => {
    it('an ES256 token: principal with sub, client_id, scopes and all claims', async () => {
      const token = await sign(es256, claims({ scope: 'orders_read billing_read', account_nr: 'A-17' }));
      const { principal, header } = await verifier.verify(token);
      expect(header).toMatchObject({ alg: 'ES256', kid: es256.kid, typ: 'at+jwt' });
      expect(principal).toMatchObject({
        sub: 'user-1',
        clientId: 'client-1',
        scopes: ['orders_read', 'billing_read'],
        actorChain: [],
      });
      expect(principal.claims.account_nr).toBe('A-17');
    });

    it('an EdDSA token, and `typ` written `application/AT+JWT` (RFC 9068 §4)', async () => {
      await expect(verifier.verify(await sign(ed25519, claims(), { typ: 'application/AT+JWT' }))).resolves.toBeTruthy();
    });

    it('`aud` as an array that contains this API', async () => {
      const token = await sign(es256, claims({ aud: ['https://billing.example', AUDIENCE] }));
      await expect(verifier.verify(token)).resolves.toBeTruthy();
    });

    it('a token expired less than the leeway ago', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expect(verifier.verify(await sign(es256, claims({ exp: now - 30 })))).resolves.toBeTruthy();
    });

    it('a two-hop `act` chain flattened current actor first (RFC 8693 §4.1)', async () => {
      const act = { sub: 'billing-svc', act: { sub: 'orders-svc', client_id: 'orders' } };
      const { principal } = await verifier.verify(await sign(es256, claims({ act })));
      expect(principal.actorChain).toEqual([{ sub: 'billing-svc' }, { sub: 'orders-svc', client_id: 'orders' }]);
    });
  });

  describe('refuses', () => {
    it('`alg: none`', async () => {
      expect(await refusal(unsecured(claims(), es256.kid))).toBe('algorithm not allowed');
    });

    it('HS256 signed with the public key as the HMAC secret (key confusion, RFC 8725 §2.1)', async () => {
      const secret = new TextEncoder().encode(await exportSPKI((await generateKeyPair('ES256')).publicKey));
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: es256.kid, typ: 'at+jwt' })
        .sign(secret);
      expect(await refusal(forged)).toBe('algorithm not allowed');
      // Even asked to, the verifier will not allow a symmetric algorithm or `none`.
      expect(() => new AccessTokenVerifier(options({ algorithms: ['ES256', 'HS256'] }))).toThrow(/HS256/);
      expect(() => new AccessTokenVerifier(options({ algorithms: ['none'] }))).toThrow(/none/);
    });

    it('an algorithm outside the allow-list, though the key could verify it', async () => {
      const es384 = await testKey('ES384');
      jwks.keys.push(es384);
      try {
        expect(await refusal(await sign(es384, claims()))).toBe('algorithm not allowed');
      } finally {
        jwks.keys.pop();
      }
    });

    it("an algorithm the key's own JWK `alg` does not name (RFC 8725 §3.1)", async () => {
      // The RSA key is published for RS256; a PS256 signature by the same key must not be accepted.
      const rsa = await testKey('RS256');
      jwks.keys.push(rsa);
      try {
        const v = new AccessTokenVerifier(options({ algorithms: ['RS256', 'PS256'], jwksCooldownMs: 0 }));
        await expect(v.verify(await sign(rsa, claims()))).resolves.toBeTruthy();
        const pssKey = await importJWK(await exportJWK(rsa.privateKey), 'PS256');
        const ps256 = await new SignJWT(claims())
          .setProtectedHeader({ alg: 'PS256', kid: rsa.kid, typ: 'at+jwt' })
          .sign(pssKey);
        expect(await refusal(ps256, v)).toBe('no matching key');
      } finally {
        jwks.keys.pop();
      }
    });

    it('an unknown `kid`: the JWKS is refetched once, then not again within the cooldown', async () => {
      const v = new AccessTokenVerifier(options({ jwksCooldownMs: 300 }));
      const before = jwks.hits();
      await v.verify(await sign(es256, claims()));
      expect(jwks.hits()).toBe(before + 1);
      await sleep(350);
      const stranger = await testKey('ES256');
      expect(await refusal(await sign(stranger, claims()), v)).toBe('no matching key');
      expect(jwks.hits()).toBe(before + 2);
      expect(await refusal(await sign(stranger, claims({ jti: 'again' })), v)).toBe('no matching key');
      expect(await refusal(await sign(stranger, claims({ jti: 'and again' })), v)).toBe('no matching key');
      expect(jwks.hits()).toBe(before + 2);
      // A rotated-in key is picked up by the next refetch after the cooldown.
      jwks.keys.push(stranger);
      try {
        await sleep(350);
        await expect(v.verify(await sign(stranger, claims()))).resolves.toBeTruthy();
        expect(jwks.hits()).toBe(before + 3);
      } finally {
        jwks.keys.pop();
      }
    });

    it('a wrong or missing `typ`', async () => {
      expect(await refusal(await sign(es256, claims(), { typ: 'JWT' }))).toBe('typ must be at+jwt');
      expect(await refusal(await sign(es256, claims(), { typ: undefined }))).toBe('typ must be at+jwt');
    });

    it('a token expired beyond the leeway', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect(await refusal(await sign(es256, claims({ exp: now - 61 })))).toBe('token expired');
      const strict = new AccessTokenVerifier(options({ clockToleranceSeconds: 0 }));
      expect(await refusal(await sign(es256, claims({ exp: now - 5 })), strict)).toBe('token expired');
      expect(() => new AccessTokenVerifier(options({ clockToleranceSeconds: 61 }))).toThrow(/clockTolerance/);
    });

    it('`nbf` in the future beyond the leeway', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect(await refusal(await sign(es256, claims({ nbf: now + 120 })))).toBe('token not yet valid');
    });

    it('`iat` in the future beyond the leeway', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect(await refusal(await sign(es256, claims({ iat: now + 120 })))).toBe('iat in the future');
    });

    it('a wrong or missing `aud`', async () => {
      expect(await refusal(await sign(es256, claims({ aud: 'https://billing.example' })))).toBe('audience mismatch');
      expect(await refusal(await sign(es256, claims({ aud: undefined })))).toBe('aud missing');
    });

    it('a foreign `iss`, even one differing only by a trailing slash', async () => {
      expect(await refusal(await sign(es256, claims({ iss: 'https://evil.example' })))).toBe('issuer mismatch');
      expect(await refusal(await sign(es256, claims({ iss: `${ISSUER}/` })))).toBe('issuer mismatch');
    });

    it('a token carrying its own key in a `jwk` header, signed by that key', async () => {
      const attacker = await testKey('ES256');
      const forged = await sign(attacker, claims(), { jwk: attacker.publicJwk, kid: undefined });
      expect(await refusal(forged)).toBe('embedded key refused');
    });

    it('a `jku` header pointing at another JWKS: never fetched', async () => {
      const attacker = await testKey('ES256');
      attacker.kid = es256.kid;
      attacker.publicJwk.kid = es256.kid;
      const evil = await startJwksServer([attacker]);
      try {
        const forged = await sign(attacker, claims(), { jku: evil.url });
        expect(await refusal(forged)).toBe('signature invalid');
        expect(evil.hits()).toBe(0);
      } finally {
        await evil.close();
      }
    });

    it('an unknown `crit` extension', async () => {
      const token = await sign(
        es256,
        claims(),
        { crit: ['urn:example:ext'], 'urn:example:ext': 1 },
        {
          'urn:example:ext': true,
        },
      );
      expect(await refusal(token)).toBe('unknown crit');
    });

    it('a tampered payload', async () => {
      const [h, , s] = (await sign(es256, claims())).split('.');
      const payload = Buffer.from(JSON.stringify(claims({ scope: 'admin' }))).toString('base64url');
      expect(await refusal(`${h}.${payload}.${s}`)).toBe('signature invalid');
    });

    it('RFC 9068 §2.2 claims missing (`client_id`, `jti`)', async () => {
      expect(await refusal(await sign(es256, claims({ client_id: undefined })))).toBe('client_id missing');
      expect(await refusal(await sign(es256, claims({ jti: undefined })))).toBe('jti missing');
    });

    it('a malformed token or a JWE', async () => {
      expect(await refusal('not-a-jwt')).toBe('malformed token');
      expect(await refusal('a.b.c.d.e')).toBe('malformed token');
    });

    it('a revoked token, by handle or by jti', async () => {
      const revocations = new RevocationList();
      const v = new AccessTokenVerifier(options(), { revocations });
      const byHandle = await sign(es256, claims());
      const byJti = await sign(es256, claims({ jti: 'exchanged-1' }));
      await expect(v.verify(byHandle)).resolves.toBeTruthy();
      revocations.add({ handles: [tokenHandle(byHandle)], jtis: ['exchanged-1'] });
      expect(await refusal(byHandle, v)).toBe('token revoked');
      expect(await refusal(byJti, v)).toBe('token revoked');
      await expect(v.verify(await sign(es256, claims()))).resolves.toBeTruthy();
    });
  });

  it('answers a server error, not invalid_token, when the JWKS cannot be fetched', async () => {
    const down = await startJwksServer([]);
    await down.close();
    const v = new AccessTokenVerifier(options({ jwksUri: down.url, jwksTimeoutMs: 1000 }));
    await expect(v.verify(await sign(es256, claims()))).rejects.toBeInstanceOf(ServerError);
  });
});
