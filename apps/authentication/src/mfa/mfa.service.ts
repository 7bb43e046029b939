import { Inject, Injectable } from '@nestjs/common';
import { ConcurrencyError, type Database, type EventStore, type NewEvent } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import { randomId } from '../sessions/bearer-value';
import {
  foldMfa,
  MfaEvents,
  type MfaState,
  mfaStream,
  type RecoveryCodesGeneratedData,
  type RecoveryCodeUsedData,
  type TotpAcceptedData,
  type TotpEnrolledData,
} from './mfa.events';
import {
  generateRecoveryCode,
  type NewRecoveryCode,
  RECOVERY_CODE_COUNT,
  RecoveryCodeStore,
} from './recovery-code.store';
import { generateTotpSecret, verifyTotp } from './totp';
import { TotpSecretStore } from './totp-secret.store';

/** A TOTP seed awaiting its first code. */
export interface PendingEnrollment {
  secret: string;
}

function event(type: string, data: object, userId: string): NewEvent {
  return { type, data: data as Record<string, unknown>, metadata: { actor: `user:${userId}` } };
}

/**
 * TOTP and recovery codes (issue 5 §4). Single use of a code is an append to
 * `mfa-<user>` with the expected version (DESIGN §2): of two concurrent uses
 * of one code, one wins; the accepted time step makes older codes unusable.
 */
@Injectable()
export class MfaService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly secrets: TotpSecretStore,
    private readonly recoveryCodes: RecoveryCodeStore,
  ) {}

  /** The user's MFA state from the log. */
  async state(userId: string): Promise<MfaState> {
    return foldMfa(await this.store.readStream(mfaStream(userId)));
  }

  /** A new pending seed for an enrollment (replaces a pending one); null when TOTP is already enrolled. */
  async beginEnrollment(userId: string): Promise<PendingEnrollment | null> {
    if ((await this.state(userId)).totpEnrolled) return null;
    const existing = await this.secrets.get(userId);
    if (existing?.confirmed) return null;
    if (existing) return { secret: existing.secret }; // a reload shows the same QR code
    const secret = generateTotpSecret();
    return (await this.secrets.putPending(userId, secret)) ? { secret } : null;
  }

  /**
   * Confirms enrollment with a first valid code: TOTP is then required at
   * sign-in, and the returned recovery codes are shown once. Null when the code is wrong.
   */
  async confirmEnrollment(userId: string, code: string, now: Date): Promise<string[] | null> {
    const state = await this.state(userId);
    const pending = await this.secrets.get(userId);
    if (state.totpEnrolled || pending === null || pending.confirmed) return null;
    const timeStep = verifyTotp(pending.secret, code, now, state.lastTimeStep);
    if (timeStep === null) return null;
    const codes: NewRecoveryCode[] = Array.from({ length: RECOVERY_CODE_COUNT }, () => ({
      codeId: randomId(),
      code: generateRecoveryCode(),
    }));
    const at = now.toISOString();
    try {
      await this.db.transaction(async (tx) => {
        await this.store.append(
          mfaStream(userId),
          state.version,
          [
            event(MfaEvents.totpEnrolled, { userId, enrolledAt: at } satisfies TotpEnrolledData, userId),
            event(MfaEvents.totpAccepted, { userId, timeStep, acceptedAt: at } satisfies TotpAcceptedData, userId),
            event(
              MfaEvents.recoveryCodesGenerated,
              { userId, codeIds: codes.map((c) => c.codeId), generatedAt: at } satisfies RecoveryCodesGeneratedData,
              userId,
            ),
          ],
          tx,
        );
        await this.secrets.confirm(tx, userId);
        await this.recoveryCodes.replace(tx, userId, codes);
      });
    } catch (err) {
      if (err instanceof ConcurrencyError) return null;
      throw err;
    }
    return codes.map((c) => c.code);
  }

  /** True when `code` is the user's current TOTP code, not used before (records its time step). */
  async verifyTotp(userId: string, code: string, now: Date): Promise<boolean> {
    const state = await this.state(userId);
    if (!state.totpEnrolled) return false;
    const stored = await this.secrets.get(userId);
    if (stored === null || !stored.confirmed) return false;
    const timeStep = verifyTotp(stored.secret, code, now, state.lastTimeStep);
    if (timeStep === null) return false;
    const data: TotpAcceptedData = { userId, timeStep, acceptedAt: now.toISOString() };
    return this.appendOnce(userId, state.version, event(MfaEvents.totpAccepted, data, userId));
  }

  /** True when `code` is one of the user's unused recovery codes (and uses it up). */
  async useRecoveryCode(userId: string, code: string, now: Date): Promise<boolean> {
    const state = await this.state(userId);
    if (!state.totpEnrolled || typeof code !== 'string' || code.length > 64) return false;
    const codeId = await this.recoveryCodes.find(userId, code);
    if (codeId === null || !state.recoveryCodeIds.includes(codeId)) return false;
    const data: RecoveryCodeUsedData = { userId, codeId, usedAt: now.toISOString() };
    return this.appendOnce(userId, state.version, event(MfaEvents.recoveryCodeUsed, data, userId));
  }

  private async appendOnce(userId: string, expectedVersion: number, e: NewEvent): Promise<boolean> {
    try {
      await this.store.append(mfaStream(userId), expectedVersion, [e]);
      return true;
    } catch (err) {
      if (err instanceof ConcurrencyError) return false; // another use got there first
      throw err;
    }
  }
}
