import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { ActiveKeySigner } from './active-key-signer';
import { generateSigningKey, importSigningKey, SIGNING_ALGORITHMS } from './signing-key-pair';
import type { SigningKeys } from './signing-keys.service';

/** A signer over one generated key (what SigningKeys.current() answers), and that key's public JWK. */
async function signerWith(alg: (typeof SIGNING_ALGORITHMS)[number]) {
  const generated = await generateSigningKey(alg);
  const key = await importSigningKey(generated.privateJwk, alg);
  const keys = { current: async () => ({ kid: generated.kid, alg, key }) } as unknown as SigningKeys;
  return { signer: new ActiveKeySigner(keys), generated };
}

describe('ActiveKeySigner', () => {
  it.each(SIGNING_ALGORITHMS)(
    '%s: a JWS jose verifies with the published key, header alg/kid/typ only',
    async (alg) => {
      const { signer, generated } = await signerWith(alg);
      const payload = { iss: 'https://issuer.example', sub: 'alice', iat: 1_700_000_000, exp: 4_000_000_000 };
      const jwt = await signer.sign(payload, { typ: 'at+jwt' });
      expect(decodeProtectedHeader(jwt)).toEqual({ alg, kid: generated.kid, typ: 'at+jwt' });
      const verified = await jwtVerify(jwt, await importJWK(generated.publicJwk, alg), {
        algorithms: [alg],
        typ: 'at+jwt',
      });
      expect(verified.payload).toEqual(payload);
    },
  );

  it('signs exactly the caller’s claims: no iat added when there is none, a given iat kept', async () => {
    const { signer, generated } = await signerWith('ES256');
    const publicKey = await importJWK(generated.publicJwk, 'ES256');
    const without = await signer.sign({ sub: 'alice', exp: 4_000_000_000 }, { typ: 'JWT' });
    expect((await jwtVerify(without, publicKey)).payload).toEqual({ sub: 'alice', exp: 4_000_000_000 });
    const withIat = await signer.sign({ sub: 'alice', iat: 1_700_000_000 }, { typ: 'JWT' });
    expect((await jwtVerify(withIat, publicKey)).payload).toEqual({ sub: 'alice', iat: 1_700_000_000 });
    // Each typ gets its own header even with one key.
    const other = await signer.sign({ sub: 'alice' }, { typ: 'token-introspection+jwt' });
    expect(decodeProtectedHeader(other).typ).toBe('token-introspection+jwt');
  });

  it('a signature from another key does not verify (the signer uses the current key, not a cached wrong one)', async () => {
    const a = await signerWith('ES256');
    const b = await signerWith('ES256');
    const jwt = await a.signer.sign({ sub: 'alice' }, { typ: 'JWT' });
    await expect(jwtVerify(jwt, await importJWK(b.generated.publicJwk, 'ES256'))).rejects.toThrow();
  });
});
