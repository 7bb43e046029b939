import type { Migration } from '@tessera/event-store';

/**
 * The authentication service's private user tables (issue 5 §1, §2; DESIGN §2):
 * - `user_keys`: each user's data key, sealed with TESSERA_KEK; deleting the
 *   row shreds the user's personal data in the log and every read model;
 * - `user_names`: live userName → user id by keyed HMAC digest (never the
 *   name), which also makes userNames unique;
 * - `credentials`: argon2id password hashes, never in an event.
 * Each row is written in the transaction of the user's event.
 */
export const users0001: Migration = {
  id: 'authentication/0001_users',
  up: `
    CREATE SCHEMA IF NOT EXISTS authentication;
    CREATE TABLE authentication.user_keys (
      user_id uuid PRIMARY KEY,
      kek_id text NOT NULL,
      iv bytea NOT NULL,
      ciphertext bytea NOT NULL,
      auth_tag bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE authentication.user_names (
      name_digest text PRIMARY KEY,
      user_id uuid NOT NULL UNIQUE
    );
    CREATE TABLE authentication.credentials (
      user_id uuid PRIMARY KEY,
      password_hash text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );`,
};
