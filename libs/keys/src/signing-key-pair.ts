import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** The JWS algorithms Tessera signs with (issue 3: ES256 by default, EdDSA and RS256 available). */
export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;

/** One of SIGNING_ALGORITHMS. */
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The default signing algorithm (DESIGN §5). */
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'ES256';

/** A public JWK as published in /jwks (RFC 7517), with its kid, alg and `use: sig`. */
export type PublicJwk = JWK & { kty: string; kid: string; alg: SigningAlgorithm; use: 'sig' };

/** A freshly generated key pair; `privateJwk` is secret and must be sealed before it is stored. */
export interface GeneratedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: PublicJwk;
  privateJwk: JWK;
}

/** True when `alg` is a supported signing algorithm. */
export function isSigningAlgorithm(alg: string): alg is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

// JWK members that are private key material (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The public part of a JWK: every private member removed. */
export function publicPart(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete copy[m];
  return copy as JWK;
}

/**
 * Generates a signing key pair with jose; the kid is the RFC 7638 JWK
 * thumbprint (SHA-256, base64url) of the public key, so it is stable and unique.
 */
export async function generateSigningKey(
  alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM,
): Promise<GeneratedSigningKey> {
  const options = alg === 'RS256' ? { extractable: true, modulusLength: 2048 } : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub, 'sha256');
  const priv = await exportJWK(privateKey);
  return {
    kid,
    alg,
    publicJwk: { ...publicPart(pub), kty: String(pub.kty), kid, alg, use: 'sig' },
    privateJwk: { ...priv, kid, alg },
  };
}

/** A key jose can sign with (a WebCrypto CryptoKey). */
export type SigningKeyHandle = Awaited<ReturnType<typeof importJWK>>;

/** Imports a private JWK for signing. */
export async function importSigningKey(privateJwk: JWK, alg: SigningAlgorithm): Promise<SigningKeyHandle> {
  return importJWK(privateJwk, alg);
}
