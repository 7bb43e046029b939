import { DEFAULT_SIGNING_ALGORITHM, type SigningAlgorithm } from './signing-key-pair';

/** How signing keys are rotated (DESIGN §5). */
export interface SigningKeySettings {
  /** Algorithm of new keys. */
  algorithm: SigningAlgorithm;
  /** How long a new key is in /jwks before it signs, so that verifiers' JWKS caches have it. */
  publishDelayMs: number;
  /** Age of the active key after which the schedule rotates it. */
  rotationIntervalMs: number;
  /** The longest lifetime of any token a key signs: a superseded key is retired that long after. */
  maxTokenLifetimeMs: number;
  /** `Cache-Control: max-age` of /jwks. */
  jwksMaxAgeSeconds: number;
  /** How often the schedule checks for due activations, retirements and rotations. */
  tickIntervalMs: number;
  /** How long to wait for a new key to appear in the read model behind /jwks before giving up. */
  visibilityTimeoutMs: number;
}

const JWKS_MAX_AGE_SECONDS = 300;

/**
 * Defaults; constants until they become configuration (TODO issue 3 follow-up).
 * Distributed verifiers may cache /jwks for max-age, so a new key waits that
 * long (plus a minute) before signing; standalone has no remote caches.
 */
export function defaultSigningKeySettings(mode: 'standalone' | 'distributed'): SigningKeySettings {
  return {
    algorithm: DEFAULT_SIGNING_ALGORITHM,
    publishDelayMs: mode === 'standalone' ? 0 : (JWKS_MAX_AGE_SECONDS + 60) * 1000,
    rotationIntervalMs: 30 * 24 * 3600 * 1000,
    // Longer than any access, exchanged, phantom or ID token (refresh tokens are opaque, not signed).
    maxTokenLifetimeMs: 24 * 3600 * 1000,
    jwksMaxAgeSeconds: JWKS_MAX_AGE_SECONDS,
    tickIntervalMs: 60_000,
    visibilityTimeoutMs: 15_000,
  };
}
