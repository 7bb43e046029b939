// User events (issue 5 §1, DESIGN §2). Personal data (userName, name, emails,
// custom claims) travels only as ciphertext under the user's own data key, held
// by the authentication service; deleting that key forgets the person while the
// log stays append-only (crypto-shredding). No password or hash ever appears here.

/** Wire type strings of the user aggregate (stream `user-<uuid>`), written once (STYLE 3). */
export const UserEvents = {
  created: 'user.created',
  updated: 'user.updated',
  passwordChanged: 'user.password-changed',
  deleted: 'user.deleted',
} as const;

/** Every user event type. */
export const USER_EVENT_TYPES: readonly string[] = Object.values(UserEvents);

/** The stream id of a user. */
export function userStream(userId: string): string {
  return `user-${userId}`;
}

/**
 * Personal data sealed with the user's data key: AES-256-GCM, a random 96-bit
 * IV, the stream id as AAD; base64url fields. Unreadable once the key is deleted.
 */
export interface SealedPersonalData {
  alg: 'A256GCM';
  iv: string;
  ciphertext: string;
  tag: string;
}

/** `user.created`: a user was provisioned (RFC 7644 §3.3). */
export interface UserCreatedData {
  userId: string;
  active: boolean;
  /** userName, name, displayName, emails and custom claims, sealed. */
  personal: SealedPersonalData;
  /** ISO 8601. */
  createdAt: string;
}

/** `user.updated`: the user's attributes were replaced (RFC 7644 §3.5.1/§3.5.2); a full sealed snapshot. */
export interface UserUpdatedData {
  userId: string;
  active: boolean;
  personal: SealedPersonalData;
  /** ISO 8601. */
  updatedAt: string;
}

/** `user.password-changed`: a new password was set; the fact only, the hash lives in a private table. */
export interface UserPasswordChangedData {
  userId: string;
  /** ISO 8601. */
  changedAt: string;
}

/** `user.deleted`: the user was deprovisioned (RFC 7644 §3.6) and their data key destroyed. */
export interface UserDeletedData {
  userId: string;
  /** ISO 8601. */
  deletedAt: string;
}
