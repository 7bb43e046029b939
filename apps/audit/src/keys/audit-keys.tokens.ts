/** The audit service's `SigningKeys` (owner and schema `audit`). */
export const AUDIT_SIGNING_KEYS = Symbol('AUDIT_SIGNING_KEYS');
/** Its `SigningKeySettings`. */
export const AUDIT_KEY_SETTINGS = Symbol('AUDIT_KEY_SETTINGS');
/** The `ActiveKeySigner` that signs chain checkpoints. */
export const AUDIT_CHECKPOINT_SIGNER = Symbol('AUDIT_CHECKPOINT_SIGNER');
