import { ConcurrencyError } from '@tessera/event-store';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '@tessera/oauth';
import type { RegisteredClient } from '../clients/registered-client';
import type { AuthenticatedClient, TokenClientAuthenticator } from '../clients/token-client.authenticator';
import type { StreamGuard } from '../tokens/token-ports';
import type { Grant } from './grant';
import { TokenEndpoint } from './token-endpoint.service';

/** A fake authenticator: answers `cachedAs` until forgotten, then `freshAs`; records the calls. */
function fakeClients(cachedAs: RegisteredClient, freshAs: RegisteredClient = cachedAs) {
  const calls: { fresh: boolean; cached: boolean }[] = [];
  let forgotten = false;
  const clients = {
    authenticate: async (_h: unknown, _b: unknown, options: { fresh?: boolean } = {}): Promise<AuthenticatedClient> => {
      const cached = !forgotten && options.fresh !== true;
      calls.push({ fresh: options.fresh === true, cached });
      return {
        client: cached ? cachedAs : freshAs,
        guard: { streamId: 'client-c', version: cached ? 1 : 2 },
        cached,
      };
    },
    forget: () => {
      forgotten = true;
    },
  } as unknown as TokenClientAuthenticator;
  return { clients, calls };
}

const client = (grantTypes: string[]) => ({ clientId: 'c', grantTypes }) as unknown as RegisteredClient;

describe('token endpoint steps', () => {
  const handled: { grant: string; guards: readonly StreamGuard[] | undefined }[] = [];
  const grant: Grant = {
    grantType: 'client_credentials',
    handle: async (params, _client, _meta, guards) => {
      handled.push({ grant: params.get('grant_type')!, guards });
      return { access_token: 'x', token_type: 'Bearer', expires_in: 1, scope: '' };
    },
  };
  beforeEach(() => handled.splice(0));

  it('checks grant_type before authenticating the client, then the client may use the grant', async () => {
    const { clients, calls } = fakeClients(client(['refresh_token']));
    const endpoint = new TokenEndpoint([grant], clients, () => new Date());
    await expect(endpoint.handle({}, {})).rejects.toThrow(InvalidRequestError);
    await expect(endpoint.handle({}, { grant_type: 'password' })).rejects.toThrow(UnsupportedGrantTypeError);
    expect(calls).toHaveLength(0);
    await expect(endpoint.handle({}, { grant_type: 'client_credentials' })).rejects.toThrow(UnauthorizedClientError);
    // The refusal from the cache was looked at again, from the log.
    expect(calls.map((c) => c.cached)).toEqual([true, false]);
    expect(handled).toEqual([]);
  });

  it("dispatches to the grant with the client's guard", async () => {
    const { clients } = fakeClients(client(['client_credentials']));
    await new TokenEndpoint([grant], clients, () => new Date()).handle({}, { grant_type: 'client_credentials' });
    expect(handled).toEqual([{ grant: 'client_credentials', guards: [{ streamId: 'client-c', version: 1 }] }]);
  });

  it('a grant type just allowed works at once (refusal from the cache re-read)', async () => {
    const { clients } = fakeClients(client(['refresh_token']), client(['client_credentials']));
    await new TokenEndpoint([grant], clients, () => new Date()).handle({}, { grant_type: 'client_credentials' });
    expect(handled).toEqual([{ grant: 'client_credentials', guards: [{ streamId: 'client-c', version: 2 }] }]);
  });

  it('a failed client guard forgets the cache and decides again; the last attempt is fresh and still guarded', async () => {
    const { clients, calls } = fakeClients(client(['client_credentials']));
    const seen: (readonly StreamGuard[] | undefined)[] = [];
    let conflicts = 2;
    const racing: Grant = {
      grantType: 'client_credentials',
      handle: async (_p, _c, _m, guards) => {
        seen.push(guards);
        if (conflicts-- > 0) throw new ConcurrencyError('client-c', guards![0].version, 9);
        return { access_token: 'x', token_type: 'Bearer', expires_in: 1, scope: '' };
      },
    };
    await new TokenEndpoint([racing], clients, () => new Date()).handle({}, { grant_type: 'client_credentials' });
    expect(seen).toEqual([
      [{ streamId: 'client-c', version: 1 }],
      [{ streamId: 'client-c', version: 2 }],
      [{ streamId: 'client-c', version: 2 }],
    ]);
    expect(calls.map((c) => c.fresh)).toEqual([false, false, true]);
  });

  it('a client still changing at the last attempt: invalid_request "concurrent modification; retry", no token', async () => {
    const { clients } = fakeClients(client(['client_credentials']));
    const moving: Grant = {
      grantType: 'client_credentials',
      handle: async (_p, _c, _m, guards) => {
        if (guards?.length) throw new ConcurrencyError('client-c', guards[0].version, 9);
        return { access_token: 'x', token_type: 'Bearer', expires_in: 1, scope: '' };
      },
    };
    const err = await new TokenEndpoint([moving], clients, () => new Date())
      .handle({}, { grant_type: 'client_credentials' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).message).toBe('concurrent modification; retry');
  });

  it('another stream’s ConcurrencyError is not retried here', async () => {
    const { clients, calls } = fakeClients(client(['client_credentials']));
    const failing: Grant = {
      grantType: 'client_credentials',
      handle: async () => {
        throw new ConcurrencyError('authcode-x', 0, 1);
      },
    };
    const endpoint = new TokenEndpoint([failing], clients, () => new Date());
    await expect(endpoint.handle({}, { grant_type: 'client_credentials' })).rejects.toThrow(ConcurrencyError);
    expect(calls).toHaveLength(1);
  });
});
