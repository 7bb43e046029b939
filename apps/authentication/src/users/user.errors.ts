/** Another live user already has this userName (RFC 7644 §3.3: 409 `uniqueness`). */
export class UserNameTakenError extends Error {
  override readonly name = 'UserNameTakenError';
  constructor() {
    super('userName is already in use');
  }
}

/** A password does not meet the policy (issue 5 §2); the message says which rule, never the password. */
export class PasswordPolicyError extends Error {
  override readonly name = 'PasswordPolicyError';
}

/** The caller's version (ETag, RFC 7644 §3.14) is not the user's current one. */
export class VersionMismatchError extends Error {
  override readonly name = 'VersionMismatchError';
  constructor(readonly currentVersion: number) {
    super('the resource was modified since that version');
  }
}

/** Personal data cannot be decrypted: the user's key is gone (deleted user) or the data was tampered with. */
export class PersonalDataUnreadableError extends Error {
  override readonly name = 'PersonalDataUnreadableError';
}
