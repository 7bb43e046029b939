import { OWASP_ARGON2ID, PasswordHasher } from './password.hasher';
import { checkPasswordPolicy, MIN_PASSWORD_LENGTH } from './password.policy';
import { PasswordPolicyError } from '../users/user.errors';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id and the OWASP parameters, salted', async () => {
    const a = await hasher.hash('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.hash('correct horse battery')).not.toBe(a);
    expect(await hasher.verify(a, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(a, 'correct horse batterY')).toBe(false);
    expect(hasher.needsRehash(a)).toBe(false);
  });

  it('answers false for no hash, after the same work as a real verification', async () => {
    expect(await hasher.verify(null, 'anything at all')).toBe(false);
    expect(await hasher.verify('not a hash', 'anything at all')).toBe(false);
  });

  it('needs a rehash when the parameters changed', async () => {
    const weak = new PasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 8192, timeCost: 1 });
    const old = await weak.hash('correct horse battery');
    expect(hasher.needsRehash(old)).toBe(true);
    expect(weak.needsRehash(old)).toBe(false);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });
});

describe('password policy', () => {
  it(`asks for at least ${MIN_PASSWORD_LENGTH} characters, counted as code points`, () => {
    expect(() => checkPasswordPolicy('short')).toThrow(PasswordPolicyError);
    expect(() => checkPasswordPolicy('x'.repeat(MIN_PASSWORD_LENGTH - 1))).toThrow(/at least 12/);
    expect(checkPasswordPolicy('x'.repeat(MIN_PASSWORD_LENGTH))).toHaveLength(MIN_PASSWORD_LENGTH);
    // 12 emoji are 24 UTF-16 units but 12 characters.
    expect(() => checkPasswordPolicy('🔑'.repeat(11))).toThrow(PasswordPolicyError);
    expect(() => checkPasswordPolicy('🔑'.repeat(12))).not.toThrow();
  });

  it('rejects non-strings, control characters and absurd lengths, never echoing the password', () => {
    expect(() => checkPasswordPolicy(123456789012)).toThrow(PasswordPolicyError);
    expect(() => checkPasswordPolicy('twelve chars\u0000')).toThrow(/control/);
    expect(() => checkPasswordPolicy('y'.repeat(2000))).toThrow(/at most/);
    try {
      checkPasswordPolicy('sekrit');
    } catch (err) {
      expect((err as Error).message).not.toContain('sekrit');
    }
  });
});
