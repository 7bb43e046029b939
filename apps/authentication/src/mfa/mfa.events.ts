// MFA events of the authentication service (issue 5 §4), stream `mfa-<userId>`.
// Facts only: the TOTP seed lives sealed in `authentication.totp_secrets`, the
// recovery codes hashed in `authentication.recovery_codes` (DESIGN §2).

/** Wire type strings of the MFA aggregate, written once (STYLE 3). */
export const MfaEvents = {
  /** TOTP was confirmed with a first valid code: sign-ins now ask for one. */
  totpEnrolled: 'mfa.totp-enrolled',
  /** A TOTP code of this time step was accepted: no code of this step or older is accepted again. */
  totpAccepted: 'mfa.totp-accepted',
  /** A new set of recovery codes replaced the previous one. */
  recoveryCodesGenerated: 'mfa.recovery-codes-generated',
  /** One recovery code was used (single use: an append with the expected version). */
  recoveryCodeUsed: 'mfa.recovery-code-used',
} as const;

/** The stream id of a user's MFA settings. */
export function mfaStream(userId: string): string {
  return `mfa-${userId}`;
}

/** `mfa.totp-enrolled`. */
export interface TotpEnrolledData {
  userId: string;
  enrolledAt: string;
}

/** `mfa.totp-accepted`. */
export interface TotpAcceptedData {
  userId: string;
  /** RFC 6238 §4.2 time step T of the accepted code. */
  timeStep: number;
  acceptedAt: string;
}

/** `mfa.recovery-codes-generated`. */
export interface RecoveryCodesGeneratedData {
  userId: string;
  /** Random ids of the codes (not the codes, not their hashes). */
  codeIds: string[];
  generatedAt: string;
}

/** `mfa.recovery-code-used`. */
export interface RecoveryCodeUsedData {
  userId: string;
  codeId: string;
  usedAt: string;
}

/** A user's MFA state as folded from the stream. */
export interface MfaState {
  totpEnrolled: boolean;
  /** Time step of the last accepted TOTP code (-1 when none). */
  lastTimeStep: number;
  /** Recovery code ids still usable. */
  recoveryCodeIds: string[];
  /** The stream version folded (the expected version of the next append). */
  version: number;
}

/** Pure fold of `mfa-<userId>`. */
export function foldMfa(events: readonly { type: string; data: unknown }[]): MfaState {
  const state: MfaState = { totpEnrolled: false, lastTimeStep: -1, recoveryCodeIds: [], version: 0 };
  for (const e of events) {
    state.version += 1;
    switch (e.type) {
      case MfaEvents.totpEnrolled:
        state.totpEnrolled = true;
        break;
      case MfaEvents.totpAccepted:
        state.lastTimeStep = Math.max(state.lastTimeStep, (e.data as TotpAcceptedData).timeStep);
        break;
      case MfaEvents.recoveryCodesGenerated:
        state.recoveryCodeIds = [...(e.data as RecoveryCodesGeneratedData).codeIds];
        break;
      case MfaEvents.recoveryCodeUsed: {
        const used = (e.data as RecoveryCodeUsedData).codeId;
        state.recoveryCodeIds = state.recoveryCodeIds.filter((id) => id !== used);
        break;
      }
    }
  }
  return state;
}
