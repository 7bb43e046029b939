/**
 * The phantom JWT's link to the reference token it stands for: the reference
 * token's handle (base64url SHA-256 of its value, DESIGN §2; never the value).
 * The token exchange reads it to take the exchange's lineage from the
 * reference token, so revoking that token revokes what was exchanged from the
 * phantom JWT (RFC 8693, issue 6).
 */
export const PHANTOM_REFERENCE_CLAIM = 'tsr_ref';
