import type { SigningKeys } from '@tessera/keys';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { IssuerJwtVerifier } from './issuer-jwt.verifier';
import { PUBLISHED_KEYS_MAX_AGE_MS } from './published-keys.cache';

const ISSUER = 'https://issuer.example';

async function setup() {
  const ours = await generateKeyPair('ES256', { extractable: true });
  const theirs = await generateKeyPair('ES256', { extractable: true });
  const published = [
    { kid: 'ours', owner: 'token', alg: 'ES256', publicJwk: await exportJWK(ours.publicKey) },
    { kid: 'theirs', owner: 'introspection', alg: 'ES256', publicJwk: await exportJWK(theirs.publicKey) },
  ];
  const keys = { owner: 'token', published: async () => published } as unknown as SigningKeys;
  const verifier = new IssuerJwtVerifier(keys, { issuer: ISSUER });
  const sign = (
    opts: {
      kid?: string;
      typ?: string;
      iss?: string;
      key?: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    } = {},
  ) =>
    new SignJWT({ iss: opts.iss ?? ISSUER, sub: 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: opts.kid ?? 'ours', typ: opts.typ ?? 'at+jwt' })
      .sign(opts.key ?? ours.privateKey);
  return { verifier, sign, theirs, published };
}

describe('IssuerJwtVerifier (RFC 8693 §2.2.2, RFC 8725)', () => {
  it('accepts an at+jwt of this issuer signed by one of the token service’s keys', async () => {
    const { verifier, sign } = await setup();
    expect(await verifier.verify(await sign())).toBe(true);
  });

  it('refuses another typ, a foreign issuer, another service’s key, an unknown kid and a bad signature', async () => {
    const { verifier, sign, theirs } = await setup();
    expect(await verifier.verify(await sign({ typ: 'JWT' }))).toBe(false);
    expect(await verifier.verify(await sign({ iss: 'https://evil.example' }))).toBe(false);
    expect(await verifier.verify(await sign({ kid: 'theirs', key: theirs.privateKey }))).toBe(false);
    expect(await verifier.verify(await sign({ kid: 'nope' }))).toBe(false);
    expect(await verifier.verify(await sign({ key: theirs.privateKey }))).toBe(false);
    expect(await verifier.verify('not.a.jwt')).toBe(false);
  });

  it('stops verifying with a retired key once the published set is reloaded (max age, or an unknown kid)', async () => {
    const { verifier, sign, published } = await setup();
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000_000);
      const token = await sign();
      expect(await verifier.verify(token)).toBe(true);
      published.splice(0, 1); // 'ours' is retired: no longer published
      now.mockReturnValue(1_000_000 + PUBLISHED_KEYS_MAX_AGE_MS + 1);
      expect(await verifier.verify(token)).toBe(false);
    } finally {
      now.mockRestore();
    }
  });

  it('replaces the key set on a reload for an unknown kid: a retired key no longer verifies', async () => {
    const { verifier, sign, published } = await setup();
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000_000);
      const old = await sign();
      expect(await verifier.verify(old)).toBe(true);
      const next = await generateKeyPair('ES256', { extractable: true });
      published.splice(0, 1, { kid: 'next', owner: 'token', alg: 'ES256', publicJwk: await exportJWK(next.publicKey) });
      now.mockReturnValue(1_002_000); // past the reload cooldown, well within the max age
      expect(await verifier.verify(await sign({ kid: 'next', key: next.privateKey }))).toBe(true);
      expect(await verifier.verify(old)).toBe(false);
    } finally {
      now.mockRestore();
    }
  });
});
