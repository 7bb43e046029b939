import { KeyEncryptionKey } from '@tessera/keys';

/** Cookie carrying a password-verified login that still needs its second factor. */
export const PENDING_LOGIN_COOKIE = 'tessera_login';
/** How long the second step may take. */
export const PENDING_LOGIN_TTL_MS = 5 * 60 * 1000;

/** A password sign-in waiting for TOTP. */
export interface PendingLogin {
  sub: string;
  /** The throttle key of the account (normalised user name). */
  account: string;
  /** When the password was verified (ms since the epoch). */
  pwdAt: number;
  /** Where to go afterwards: an authorization request id or a local path. */
  request?: string;
  next?: string;
  /** ms since the epoch. */
  exp: number;
}

const CONTEXT = 'pending-login';

/**
 * Seals a pending login into a cookie value with TESSERA_KEK (AES-256-GCM,
 * shared by every replica; nothing to store, nothing in the log). The browser
 * cannot read or forge it; it is short-lived and HttpOnly.
 */
export class PendingLoginSealer {
  constructor(private readonly kek: KeyEncryptionKey) {}

  /** The cookie value. */
  seal(login: PendingLogin): string {
    const s = this.kek.seal(Buffer.from(JSON.stringify(login), 'utf8'), CONTEXT);
    return [s.iv, s.ciphertext, s.authTag].map((b) => b.toString('base64url')).join('.');
  }

  /** The pending login if the value is intact and not expired at `now`, else null. */
  open(value: string | undefined, now: Date): PendingLogin | null {
    if (!value || value.length > 4096) return null;
    const parts = value.split('.');
    if (parts.length !== 3) return null;
    try {
      const [iv, ciphertext, authTag] = parts.map((p) => Buffer.from(p, 'base64url'));
      const login = JSON.parse(
        this.kek.open({ kekId: this.kek.id, iv, ciphertext, authTag }, CONTEXT).toString('utf8'),
      );
      return typeof login?.sub === 'string' && login.exp > now.getTime() ? (login as PendingLogin) : null;
    } catch {
      return null;
    }
  }
}
