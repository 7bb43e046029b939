import { Inject, Injectable } from '@nestjs/common';
import { MfaService } from '../mfa/mfa.service';
import { PasswordAuthenticator } from '../passwords/password.authenticator';
import { MAX_PASSWORD_LENGTH } from '../passwords/password.policy';
import { ACR_MFA, ACR_PASSWORD, type Authentication } from '../sessions/session.service';
import { AUTH_SLEEP } from '../sessions/auth-ports';
import { normalizeUserName } from '../users/user-profile';
import { LoginThrottle } from './login-throttle';
import type { PendingLogin } from './pending-login';

/** The outcome of the password step. */
export type PasswordOutcome =
  | { kind: 'locked' }
  | { kind: 'failed' }
  | { kind: 'second-factor'; sub: string; account: string }
  | { kind: 'authenticated'; auth: Authentication; account: string };

/** The outcome of the TOTP / recovery-code step. */
export type SecondFactorOutcome =
  { kind: 'locked' } | { kind: 'failed' } | { kind: 'authenticated'; auth: Authentication };

/** True when `password` is longer than the policy allows (code points; a cheap bound on UTF-16 units first). */
function tooLong(password: string): boolean {
  return (
    password.length > MAX_PASSWORD_LENGTH &&
    (password.length > 2 * MAX_PASSWORD_LENGTH || [...password].length > MAX_PASSWORD_LENGTH)
  );
}

/**
 * The sign-in steps (issue 5 §3-5): the throttle is consulted before any
 * check, the delay applies to every attempt on a throttled key, and an
 * unknown user costs one argon2id verification like a wrong password
 * (PasswordAuthenticator), so both answer the same, in the same time. Each
 * attempt is counted as a failure before it is checked (undone on success),
 * and one account has at most one check in flight per process: the others
 * wait their turn, then see the failures before them (no parallel bypass).
 */
@Injectable()
export class LoginService {
  /** Per account: the tail of the queue of attempts (at most one verification in flight). */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly passwords: PasswordAuthenticator,
    private readonly mfa: MfaService,
    private readonly throttle: LoginThrottle,
    @Inject(AUTH_SLEEP) private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** Checks a user name and password from `address`. */
  async password(username: string, password: string, address: string, now: Date): Promise<PasswordOutcome> {
    const account = normalizeUserName(username.slice(0, 256));
    return this.oneAtATime(account, () => this.checkPassword(account, username, password, address, now));
  }

  private async checkPassword(
    account: string,
    username: string,
    password: string,
    address: string,
    now: Date,
  ): Promise<PasswordOutcome> {
    const verdict = this.throttle.begin(account, address, now);
    await this.sleep(verdict.delayMs);
    if (verdict.lockedUntil || !verdict.succeeded) return { kind: 'locked' };
    // Longer than the policy allows: never a valid password, but the same argon2id work as any attempt.
    const oversized = tooLong(password);
    const user = await this.passwords.authenticate(username, oversized ? '' : password);
    if (user === null || oversized) return { kind: 'failed' };
    if ((await this.mfa.state(user.userId)).totpEnrolled) {
      // The password was right: its provisional failure is taken back, but the account's
      // earlier failures stay until the second factor succeeds too.
      verdict.undo?.();
      return { kind: 'second-factor', sub: user.userId, account };
    }
    verdict.succeeded();
    return { kind: 'authenticated', account, auth: { sub: user.userId, amr: ['pwd'], acr: ACR_PASSWORD, at: now } };
  }

  /** Checks the second factor of a pending login: a TOTP code, or else a recovery code. */
  async secondFactor(
    pending: PendingLogin,
    input: { code?: string; recoveryCode?: string },
    address: string,
    now: Date,
  ): Promise<SecondFactorOutcome> {
    return this.oneAtATime(pending.account, () => this.checkSecondFactor(pending, input, address, now));
  }

  private async checkSecondFactor(
    pending: PendingLogin,
    input: { code?: string; recoveryCode?: string },
    address: string,
    now: Date,
  ): Promise<SecondFactorOutcome> {
    const verdict = this.throttle.begin(pending.account, address, now);
    await this.sleep(verdict.delayMs);
    if (verdict.lockedUntil || !verdict.succeeded) return { kind: 'locked' };
    const ok = input.code
      ? await this.mfa.verifyTotp(pending.sub, input.code.trim(), now)
      : input.recoveryCode
        ? await this.mfa.useRecoveryCode(pending.sub, input.recoveryCode, now)
        : false;
    if (!ok) return { kind: 'failed' };
    verdict.succeeded();
    // RFC 8176: `pwd` then `otp` (a recovery code is a one-time password too); auth_time is the last step.
    return { kind: 'authenticated', auth: { sub: pending.sub, amr: ['pwd', 'otp'], acr: ACR_MFA, at: now } };
  }

  /** Runs `check` after every earlier attempt on `account` has finished (a per-account queue). */
  private async oneAtATime<T>(account: string, check: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(account) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.inFlight.set(account, tail);
    try {
      await previous;
      return await check();
    } finally {
      release();
      if (this.inFlight.get(account) === tail) this.inFlight.delete(account);
    }
  }
}
