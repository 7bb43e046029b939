import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** RFC 6238 §4.1 defaults every authenticator app understands: SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_S = 30;
/** Accepted clock drift: one step either side (RFC 6238 §5.2). */
export const TOTP_TOLERANCE_S = TOTP_PERIOD_S;

/** A new base32 TOTP seed of 160 random bits (RFC 4226 §4 R6). */
export function generateTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://totp/…` URI an authenticator app scans (Key Uri Format). */
export function totpUri(issuer: string, label: string, secret: string): string {
  return generateURI({ issuer, label, secret, period: TOTP_PERIOD_S });
}

/**
 * The time step of `code` if it is valid at `now` within ±1 step and newer than
 * `afterTimeStep` (no reuse of an accepted code, RFC 6238 §5.2), else null.
 */
export function verifyTotp(secret: string, code: string, now: Date, afterTimeStep: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      period: TOTP_PERIOD_S,
      epochTolerance: TOTP_TOLERANCE_S,
      ...(afterTimeStep >= 0 ? { afterTimeStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

/** The code of `secret` at `now` (tests and the enrollment page's self-check). */
export function totpCodeAt(secret: string, now: Date): string {
  return generateSync({ secret, epoch: Math.floor(now.getTime() / 1000), period: TOTP_PERIOD_S });
}
