import { randomBytes } from 'node:crypto';
import { KeyEncryptionKey, SealedSecretError } from './key-encryption-key';

describe('KeyEncryptionKey (AES-256-GCM, DESIGN §5)', () => {
  const kek = new KeyEncryptionKey(randomBytes(32));
  const secret = Buffer.from('{"d":"private"}');

  it('round-trips, with a fresh 96-bit IV every time', () => {
    const a = kek.seal(secret, 'kid-1');
    const b = kek.seal(secret, 'kid-1');
    expect(a.iv).toHaveLength(12);
    expect(a.authTag).toHaveLength(16);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.includes(secret)).toBe(false);
    expect(kek.open(a, 'kid-1').equals(secret)).toBe(true);
    expect(a.kekId).toBe(kek.id);
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const sealed = kek.seal(secret, 'kid-1');
    const flip = (b: Buffer) => {
      const c = Buffer.from(b);
      c[0] ^= 1;
      return c;
    };
    expect(() => kek.open({ ...sealed, ciphertext: flip(sealed.ciphertext) }, 'kid-1')).toThrow(SealedSecretError);
    expect(() => kek.open({ ...sealed, iv: flip(sealed.iv) }, 'kid-1')).toThrow(SealedSecretError);
    expect(() => kek.open({ ...sealed, authTag: flip(sealed.authTag) }, 'kid-1')).toThrow(SealedSecretError);
  });

  it('refuses another context (the kid is authenticated data)', () => {
    const sealed = kek.seal(secret, 'kid-1');
    expect(() => kek.open(sealed, 'kid-2')).toThrow(SealedSecretError);
  });

  it('refuses a wrong KEK, also when the stored KEK id is forged', () => {
    const sealed = kek.seal(secret, 'kid-1');
    const other = new KeyEncryptionKey(randomBytes(32));
    expect(other.id).not.toBe(kek.id);
    expect(() => other.open(sealed, 'kid-1')).toThrow(/sealed with kek-/);
    expect(() => other.open({ ...sealed, kekId: other.id }, 'kid-1')).toThrow(SealedSecretError);
  });

  it('accepts only 32-byte keys and never serialises the key', () => {
    expect(() => new KeyEncryptionKey(randomBytes(16))).toThrow(/32 bytes/);
    const raw = randomBytes(32);
    const k = new KeyEncryptionKey(raw);
    expect(JSON.stringify({ k })).not.toContain(raw.toString('base64'));
    expect(JSON.stringify({ k })).not.toContain(raw.toString('hex'));
  });
});
