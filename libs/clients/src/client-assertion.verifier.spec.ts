import { ConcurrencyError, type EventStore } from '@tessera/event-store';
import { InvalidClientError } from '@tessera/oauth';
import type { TesseraConfig } from '@tessera/platform';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { assertionJtiHash, ClientAssertionVerifier } from './client-assertion.verifier';
import { toRegisteredClient } from './registered-client';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const ISSUER = 'https://issuer.example';
const TOKEN_ENDPOINT = `${ISSUER}/oauth/token`;
const now = new Date('2026-01-01T00:00:00Z');
const nowS = Math.floor(now.getTime() / 1000);

/** An event store that only remembers which streams exist (append at version 0 fails the second time). */
function fakeStore(): EventStore & { streams: Set<string> } {
  const streams = new Set<string>();
  return {
    streams,
    async append(streamId: string, expected: unknown) {
      if (expected !== 0 || streams.has(streamId)) throw new ConcurrencyError(streamId, 0, 1);
      streams.add(streamId);
      return {} as never;
    },
  } as unknown as EventStore & { streams: Set<string> };
}

describe('assertionJtiHash', () => {
  it('separates the client id from the jti: ("ab", "c") and ("a", "bc") are different uses', () => {
    expect(assertionJtiHash('ab', 'c')).not.toBe(assertionJtiHash('a', 'bc'));
  });
});

describe('ClientAssertionVerifier (RFC 7523 §3, private_key_jwt)', () => {
  let key: PrivateKey;
  let otherKey: PrivateKey;
  let publicJwk: JWK;
  let store: ReturnType<typeof fakeStore>;
  let verifier: ClientAssertionVerifier;
  const client = () =>
    toRegisteredClient({
      clientId: 'c1',
      issuedAt: 1,
      deleted: false,
      metadata: {
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'a',
        token_endpoint_auth_method: 'private_key_jwt',
        access_token_format: 'reference',
        jwks: { keys: [{ ...publicJwk, kty: publicJwk.kty! }] },
      },
    });

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    otherKey = (await generateKeyPair('ES256')).privateKey;
  });

  beforeEach(() => {
    store = fakeStore();
    verifier = new ClientAssertionVerifier(store, { mode: 'standalone', issuer: ISSUER } as unknown as TesseraConfig);
  });

  const claims = (over: Record<string, unknown> = {}) => ({
    iss: 'c1',
    sub: 'c1',
    aud: TOKEN_ENDPOINT,
    jti: 'jti-1',
    exp: nowS + 60,
    iat: nowS,
    ...over,
  });
  const sign = (payload: Record<string, unknown>, k: PrivateKey | Uint8Array = key, alg = 'ES256') => {
    const body = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
    return new SignJWT(body).setProtectedHeader({ alg, kid: 'k1' }).sign(k);
  };
  const rejects = async (assertion: string) => {
    await expect(verifier.verify(client(), assertion, now)).rejects.toBeInstanceOf(InvalidClientError);
  };

  it('accepts a good assertion once and records its jti in its own stream', async () => {
    await expect(verifier.verify(client(), await sign(claims()), now)).resolves.toBeUndefined();
    expect([...store.streams]).toEqual([expect.stringMatching(/^clientassertion-[A-Za-z0-9_-]{43}$/)]);
  });

  it('accepts the issuer as audience too', async () => {
    await expect(verifier.verify(client(), await sign(claims({ aud: [ISSUER] })), now)).resolves.toBeUndefined();
  });

  it('refuses a replayed jti', async () => {
    const assertion = await sign(claims());
    await verifier.verify(client(), assertion, now);
    await rejects(assertion);
    await rejects(await sign(claims({ exp: nowS + 120 })));
  });

  it('refuses HS256 signed with the public key as secret, and alg none', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    await rejects(await sign(claims(), secret, 'HS256'));
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
    await rejects(`${header}.${payload}.`);
  });

  it('refuses a key that is not in the client jwks', async () => {
    await rejects(await sign(claims(), otherKey));
  });

  it('refuses a wrong algorithm for the key (ES384 header)', async () => {
    const es384 = (await generateKeyPair('ES384')).privateKey;
    await rejects(await sign(claims(), es384, 'ES384'));
  });

  it('refuses a wrong audience, iss ≠ sub, missing jti, expired or too long-lived assertions', async () => {
    await rejects(await sign(claims({ aud: 'https://other.example/oauth/token' })));
    await rejects(await sign(claims({ iss: 'other' })));
    await rejects(await sign(claims({ sub: 'other' })));
    await rejects(await sign(claims({ jti: undefined })));
    await rejects(await sign(claims({ exp: undefined })));
    await rejects(await sign(claims({ exp: nowS - 120 })));
    await rejects(await sign(claims({ exp: nowS + 3600 })));
    expect(store.streams.size).toBe(0);
  });

  it('refuses clients that do not use private_key_jwt', async () => {
    const c = client();
    await expect(
      verifier.verify({ ...c, tokenEndpointAuthMethod: 'client_secret_basic' }, await sign(claims()), now),
    ).rejects.toBeInstanceOf(InvalidClientError);
  });
});
