import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';

/** What the demo API was sent, for the test to check (issue 4 "Tests"). */
export interface DemoApiRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

/** A small resource server behind the gateway: it trusts only a JWT it verified against /jwks. */
export interface DemoApi {
  port: number;
  requests: DemoApiRequest[];
  /** True once any request carried an opaque Tessera token (it must never happen behind the gateway). */
  sawOpaqueToken(): boolean;
  close(): Promise<void>;
}

/**
 * Starts the demo API on a free port. Each request must carry `Authorization:
 * Bearer <JWT>` that verifies against `jwksUrl` as an RFC 9068 access token
 * (`typ: at+jwt`, the issuer, its own audience); it answers 200 with the
 * verified claims, else 401.
 */
export async function startDemoApi(options: { jwksUrl: string; issuer: string; audience: string }): Promise<DemoApi> {
  // A short cooldown: the introspection service's key may reach /jwks a moment after its first JWT.
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 500 });
  const requests: DemoApiRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for await (const _chunk of req); // drain the body
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization });
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    let claims: JWTPayload;
    try {
      if (!token) throw new Error('no bearer token');
      ({ payload: claims } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt', // RFC 9068 §4: reject anything but an access token JWT
        requiredClaims: ['sub', 'client_id', 'jti', 'iat', 'exp'],
      }));
    } catch (err) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_token', error_description: (err as Error).message }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, method: req.method, claims }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    sawOpaqueToken: () => requests.some((r) => r.authorization?.includes('tsr_') ?? false),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
