import { PasswordPolicyError } from '../users/user.errors';

/** Fewest characters a password may have (NIST SP 800-63B §3.1.1.2 asks ≥ 8; Tessera asks 12, as OWASP ASVS 2.1.1). */
export const MIN_PASSWORD_LENGTH = 12;
/** Most characters accepted (NIST SP 800-63B asks to allow ≥ 64); a bound on hashing work per request. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Checks a new password against the policy; throws PasswordPolicyError naming
 * the rule (never the password). Lengths count Unicode code points after NFC
 * (NIST SP 800-63B §5.1.1.2), and all printable characters, spaces included, are allowed.
 */
export function checkPasswordPolicy(password: unknown): string {
  if (typeof password !== 'string') throw new PasswordPolicyError('password must be a string');
  const normalized = password.normalize('NFC');
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (/[\u0000-\u001f\u007f]/.test(normalized))
    throw new PasswordPolicyError('password must not contain control characters');
  return normalized;
}
