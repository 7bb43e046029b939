import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACCESS_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
  TokenExchangeClient,
  TokenExchangeError,
} from './token-exchange.client';

interface SeenRequest {
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A token endpoint answering like RFC 8693 §2.2 (node:http). */
async function startTokenEndpoint(answer: (form: Record<string, string>, n: number) => [number, object]) {
  const seen: SeenRequest[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const form = Object.fromEntries(new URLSearchParams(raw));
    seen.push({ authorization: req.headers.authorization, form });
    const [status, body] = answer(form, seen.length);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const issued = (n: number, expiresIn = 300) => ({
  access_token: `exchanged-${n}`,
  issued_token_type: ACCESS_TOKEN_TYPE,
  token_type: 'Bearer',
  expires_in: expiresIn,
  scope: 'billing_read',
});

describe('TokenExchangeClient (RFC 8693)', () => {
  let endpoint: Awaited<ReturnType<typeof startTokenEndpoint>>;
  let now: Date;
  let client: TokenExchangeClient;

  beforeEach(async () => {
    endpoint = await startTokenEndpoint((_form, n) => [200, issued(n)]);
    now = new Date('2026-01-01T00:00:00Z');
    client = new TokenExchangeClient({
      tokenEndpoint: endpoint.url,
      clientId: 'orders api',
      clientSecret: 's3cret:+',
      now: () => now,
    });
  });
  afterEach(() => endpoint.close());

  it('sends the RFC 8693 §2.1 request with client_secret_basic (form-encoded id and secret)', async () => {
    await expect(client.accessTokenFor('incoming.jwt', { audience: 'billing', scope: 'billing_read' })).resolves.toBe(
      'exchanged-1',
    );
    const [{ authorization, form }] = endpoint.seen;
    expect(Buffer.from(authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe('orders+api:s3cret%3A%2B');
    expect(form).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: 'incoming.jwt',
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      audience: 'billing',
      scope: 'billing_read',
    });
  });

  it('caches per (subject token, audience, scope) until 30 s before expiry', async () => {
    const call = (subject: string, audience: string, scope: string | string[]) =>
      client.accessTokenFor(subject, { audience, scope });
    expect(await call('t1', 'billing', 'a b')).toBe('exchanged-1');
    expect(await call('t1', 'billing', ['b', 'a'])).toBe('exchanged-1'); // scope order is irrelevant
    expect(await call('t1', 'shipping', 'a b')).toBe('exchanged-2');
    expect(await call('t1', 'billing', 'a')).toBe('exchanged-3');
    expect(await call('t2', 'billing', 'a b')).toBe('exchanged-4');
    expect(endpoint.seen).toHaveLength(4);

    now = new Date(now.getTime() + 269_000); // 31 s before the 300 s expiry: still reused
    expect(await call('t1', 'billing', 'a b')).toBe('exchanged-1');
    now = new Date(now.getTime() + 1_000); // 30 s before: exchanged again
    expect(await call('t1', 'billing', 'a b')).toBe('exchanged-5');
    expect(endpoint.seen).toHaveLength(5);
  });

  it('shares one request between concurrent callers', async () => {
    const tokens = await Promise.all([1, 2, 3].map(() => client.accessTokenFor('t', { audience: 'billing' })));
    expect(tokens).toEqual(['exchanged-1', 'exchanged-1', 'exchanged-1']);
    expect(endpoint.seen).toHaveLength(1);
    expect(endpoint.seen[0].form.scope).toBeUndefined();
  });

  it('does not cache a token living less than the refresh margin', async () => {
    await endpoint.close();
    endpoint = await startTokenEndpoint((_form, n) => [200, issued(n, 20)]);
    client = new TokenExchangeClient({ tokenEndpoint: endpoint.url, clientId: 'c', clientSecret: 's', now: () => now });
    expect(await client.accessTokenFor('t', { audience: 'billing' })).toBe('exchanged-1');
    expect(await client.accessTokenFor('t', { audience: 'billing' })).toBe('exchanged-2');
  });

  it('surfaces the RFC 8693 §2.2.2 error code, and caches nothing', async () => {
    await endpoint.close();
    endpoint = await startTokenEndpoint(() => [400, { error: 'invalid_target', error_description: 'audience' }]);
    client = new TokenExchangeClient({ tokenEndpoint: endpoint.url, clientId: 'c', clientSecret: 's' });
    const err = await client.accessTokenFor('subject-secret', { audience: 'evil' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenExchangeError);
    expect(err).toMatchObject({ error: 'invalid_target', status: 400, description: 'audience' });
    expect((err as Error).message).not.toContain('subject-secret');
    await client.accessTokenFor('subject-secret', { audience: 'evil' }).catch(() => undefined);
    expect(endpoint.seen).toHaveLength(2);
  });

  it('refuses a success response that is not a bearer access token', async () => {
    await endpoint.close();
    endpoint = await startTokenEndpoint(() => [200, { access_token: 'x', token_type: 'N_A', issued_token_type: 'x' }]);
    client = new TokenExchangeClient({ tokenEndpoint: endpoint.url, clientId: 'c', clientSecret: 's' });
    await expect(client.accessTokenFor('t', { audience: 'billing' })).rejects.toMatchObject({ error: 'server_error' });
  });
});
