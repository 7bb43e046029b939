/** Injection token of the PhantomTokenSettings. */
export const PHANTOM_TOKEN_SETTINGS = Symbol('introspection:phantom-token-settings');

/** How `/gateway/phantom` mints and reuses the JWTs it hands to nginx (issue 4 §3). */
export interface PhantomTokenSettings {
  /** Longest life of a minted JWT; it never outlives the reference token (exp ≤ the reference's exp). */
  jwtTtlSeconds: number;
  /** A cached JWT is reused only while at least this much of its life is left (deploy/nginx/README.md). */
  minRemainingSeconds: number;
  /** Most (token, audience) pairs kept; the oldest entry goes first. */
  cacheMaxEntries: number;
  /** Header nginx sets per protected location to name the API's audience (never taken from clients). */
  audienceHeader: string;
  /** Header nginx sets on the subrequest with `TESSERA_GATEWAY_SECRET` (never forwarded from clients). */
  gatewaySecretHeader: string;
  /** The `realm` of the RFC 6750 §3 challenge. */
  realm: string;
}

/** Two minutes of life, reused for the first ninety seconds of it. */
export const defaultPhantomTokenSettings: PhantomTokenSettings = {
  jwtTtlSeconds: 120,
  minRemainingSeconds: 30,
  cacheMaxEntries: 10_000,
  audienceHeader: 'x-tessera-audience',
  gatewaySecretHeader: 'x-tessera-gateway-secret',
  realm: 'tessera',
};
