// Signing key events (issue 3, DESIGN §5). They carry the PUBLIC JWK and kid
// only: the private key stays sealed in its owner's `<schema>.signing_keys`.

/** Stream of one signing key: `signingkey-<kid>`. */
export const signingKeyStream = (kid: string): string => `signingkey-${kid}`;

/** A key pair was generated; its public JWK is published in /jwks from now on, before it signs. */
export const SIGNING_KEY_CREATED = 'signing-key.created';
/** The key became the one that signs (it was published at least the propagation delay before). */
export const SIGNING_KEY_ACTIVATED = 'signing-key.activated';
/** The key was withdrawn from /jwks: every token it signed has expired. */
export const SIGNING_KEY_RETIRED = 'signing-key.retired';

/** The owner of a `signing-key.created` without `owner` (written before issue 4: the token service). */
export const LEGACY_SIGNING_KEY_OWNER = 'token';

/** Every signing key event type. */
export const SIGNING_KEY_EVENT_TYPES = [SIGNING_KEY_CREATED, SIGNING_KEY_ACTIVATED, SIGNING_KEY_RETIRED] as const;

/** A public JWK as it travels in events (RFC 7517); never a private member (`d`, `p`, `q`, …). */
export interface PublicSigningJwk {
  kty: string;
  kid: string;
  alg: string;
  use: 'sig';
  [member: string]: unknown;
}

/** Data of `signing-key.created`. */
export interface SigningKeyCreatedData {
  kid: string;
  /** The service that holds the private half and signs with it (`token`, `introspection`); absent = LEGACY_SIGNING_KEY_OWNER. */
  owner?: string;
  /** JWS alg: ES256, EdDSA or RS256. */
  alg: string;
  publicJwk: PublicSigningJwk;
  /** ISO time; the key may be activated from then on (created + propagation delay). */
  activateAfter: string;
}

/** Data of `signing-key.activated`. */
export interface SigningKeyActivatedData {
  kid: string;
  /** ISO time of activation. */
  activatedAt: string;
}

/** Data of `signing-key.retired`. */
export interface SigningKeyRetiredData {
  kid: string;
  /** ISO time of retirement. */
  retiredAt: string;
}
