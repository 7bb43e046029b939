import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, CompactSign, importJWK } from 'jose';
import { KeyEncryptionKey, SealedSecretError } from './key-encryption-key';
import { openPrivateJwk, sealPrivateJwk } from './sealed-signing-key';
import { generateSigningKey, importSigningKey, SIGNING_ALGORITHMS } from './signing-key-pair';

describe('generateSigningKey', () => {
  it('defaults to ES256 on P-256', async () => {
    const key = await generateSigningKey();
    expect(key.alg).toBe('ES256');
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: key.kid });
  });

  it.each(SIGNING_ALGORITHMS)(
    '%s: kid is the RFC 7638 thumbprint, public JWK has no private member, signs',
    async (alg) => {
      const key = await generateSigningKey(alg);
      expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
      for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key.publicJwk).not.toHaveProperty(m);
      expect(key.privateJwk).toHaveProperty('d');

      const payload = new TextEncoder().encode('hello');
      const jws = await new CompactSign(payload)
        .setProtectedHeader({ alg, kid: key.kid })
        .sign(await importSigningKey(key.privateJwk, alg));
      const verified = await compactVerify(jws, await importJWK(key.publicJwk, alg));
      expect(new TextDecoder().decode(verified.payload)).toBe('hello');
    },
  );

  it('generates a different key each time', async () => {
    const [a, b] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    expect(a.kid).not.toBe(b.kid);
  });
});

describe('sealPrivateJwk / openPrivateJwk', () => {
  it('round-trips a private JWK bound to its kid only', async () => {
    const kek = new KeyEncryptionKey(randomBytes(32));
    const key = await generateSigningKey();
    const sealed = sealPrivateJwk(kek, key.kid, key.privateJwk);
    expect(sealed.ciphertext.toString('utf8')).not.toContain(String(key.privateJwk.d));
    expect(openPrivateJwk(kek, key.kid, sealed)).toEqual(key.privateJwk);
    expect(() => openPrivateJwk(kek, 'another-kid', sealed)).toThrow(SealedSecretError);
    expect(() => openPrivateJwk(new KeyEncryptionKey(randomBytes(32)), key.kid, sealed)).toThrow(SealedSecretError);
  });
});
