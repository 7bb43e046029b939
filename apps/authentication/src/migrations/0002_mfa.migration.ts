import type { Migration } from '@tessera/event-store';

/**
 * MFA secrets (issue 5 §4), never in an event (DESIGN §2): each user's TOTP
 * seed sealed with TESSERA_KEK (context `totp-secret:<user id>`; `confirmed`
 * false while enrollment awaits its first code), and recovery codes as SHA-256
 * of 128-bit random values. Their use is recorded in stream `mfa-<user id>`.
 */
export const mfa0002: Migration = {
  id: 'authentication/0002_mfa',
  up: `
    CREATE SCHEMA IF NOT EXISTS authentication;
    CREATE TABLE authentication.totp_secrets (
      user_id uuid PRIMARY KEY,
      kek_id text NOT NULL,
      iv bytea NOT NULL,
      ciphertext bytea NOT NULL,
      auth_tag bytea NOT NULL,
      confirmed boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE authentication.recovery_codes (
      user_id uuid NOT NULL,
      code_id text NOT NULL,
      code_hash bytea NOT NULL,
      PRIMARY KEY (user_id, code_id)
    );`,
};
