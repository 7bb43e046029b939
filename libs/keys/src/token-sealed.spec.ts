import { openWithToken, sealWithToken } from './token-sealed';

describe('sealWithToken', () => {
  const value = 'tsr_at_' + 'a'.repeat(43);

  it('opens with the same value and purpose', () => {
    const sealed = sealWithToken(value, 'access-token.claims', { account_nr: '12345' });
    expect(openWithToken(value, 'access-token.claims', sealed)).toEqual({ account_nr: '12345' });
  });

  it('never shows the plaintext in the sealed form', () => {
    const sealed = sealWithToken(value, 'access-token.claims', { email: 'ada@example.com' });
    expect(JSON.stringify(sealed)).not.toContain('ada@example.com');
  });

  it('refuses another value, another purpose, or a tampered ciphertext', () => {
    const sealed = sealWithToken(value, 'access-token.claims', { a: 1 });
    expect(() => openWithToken(value + 'x', 'access-token.claims', sealed)).toThrow();
    expect(() => openWithToken(value, 'authorization-code.claims', sealed)).toThrow();
    const ct = Buffer.from(sealed.ct, 'base64url');
    ct[0] ^= 1;
    expect(() => openWithToken(value, 'access-token.claims', { ...sealed, ct: ct.toString('base64url') })).toThrow();
  });

  it('refuses a truncated authentication tag (only the full 16 bytes)', () => {
    const sealed = sealWithToken(value, 'access-token.claims', { a: 1 });
    const short = Buffer.from(sealed.tag, 'base64url').subarray(0, 12).toString('base64url');
    expect(() => openWithToken(value, 'access-token.claims', { ...sealed, tag: short })).toThrow(/16 bytes/);
  });

  it('uses a fresh nonce each time', () => {
    expect(sealWithToken(value, 'p', 1).iv).not.toBe(sealWithToken(value, 'p', 1).iv);
  });
});
