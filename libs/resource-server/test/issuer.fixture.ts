import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** One signing key of the test issuer. */
export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A JWKS served over real HTTP (node:http), counting how often it is fetched. */
export interface JwksServer {
  url: string;
  /** How many times the JWKS was fetched. */
  hits(): number;
  /** The keys published (mutable: push a key to rotate). */
  keys: TestKey[];
  close(): Promise<void>;
}

/** A key pair with a JWK carrying `kid`, `alg` and `use`. */
export async function testKey(alg = 'ES256', jwkAlg: string | null = alg): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', ...(jwkAlg ? { alg: jwkAlg } : {}) };
  return { kid, alg, privateKey, publicJwk };
}

/** Serves `{ keys }` at `/jwks` on 127.0.0.1. */
export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks`,
    hits: () => hits,
    keys,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The claims of a good RFC 9068 access token for `audience`, issued now. */
export function accessTokenClaims(issuer: string, audience: string, extra: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: audience,
    sub: 'user-1',
    client_id: 'client-1',
    scope: 'orders_read',
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    ...extra,
  };
}

/** Signs `claims` with `key`; the header defaults to `{ alg, kid, typ: 'at+jwt' }`. */
export async function sign(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
  crit?: Record<string, boolean>,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey, crit ? { crit } : undefined);
}

/** An unsecured JWS (`alg: none`, RFC 7519 §6), as an attacker would forge it. */
export function unsecured(claims: JWTPayload, kid: string): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt', kid })}.${part(claims)}.`;
}
