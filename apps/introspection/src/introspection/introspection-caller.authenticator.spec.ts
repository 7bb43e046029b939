import { type ClientAuthenticator, type RegisteredClient, toRegisteredClient } from '@tessera/clients';
import { InvalidClientError, type PresentedClientCredentials } from '@tessera/oauth';
import { CALLER_CACHE_TTL_MS, IntrospectionCallerAuthenticator } from './introspection-caller.authenticator';

const rs = toRegisteredClient({
  clientId: 'rs1',
  issuedAt: 1,
  deleted: false,
  metadata: {
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: '',
    token_endpoint_auth_method: 'client_secret_basic',
    access_token_format: 'reference',
  },
});
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

function setup() {
  const state = { now: 1_000_000, calls: 0 };
  const inner = {
    authenticatePresented: async (p: PresentedClientCredentials): Promise<RegisteredClient> => {
      state.calls++;
      if (p.method === 'client_secret_basic' && p.clientId === 'rs1' && p.clientSecret === 'right') return rs;
      throw new InvalidClientError('client authentication failed', true);
    },
  } as unknown as ClientAuthenticator;
  return { state, auth: new IntrospectionCallerAuthenticator(inner, () => state.now) };
}

describe('IntrospectionCallerAuthenticator', () => {
  it('reuses a successful secret authentication for at most 5 s', async () => {
    const { state, auth } = setup();
    expect(CALLER_CACHE_TTL_MS).toBeLessThanOrEqual(5_000);
    await auth.authenticate(basic('rs1', 'right'), {});
    state.now += CALLER_CACHE_TTL_MS - 1;
    expect((await auth.authenticate(basic('rs1', 'right'), {})).clientId).toBe('rs1');
    expect(state.calls).toBe(1);
    state.now += 1;
    await auth.authenticate(basic('rs1', 'right'), {});
    expect(state.calls).toBe(2);
  });

  it('never lets a cached entry vouch for another secret, and never caches failures', async () => {
    const { state, auth } = setup();
    await auth.authenticate(basic('rs1', 'right'), {});
    await expect(auth.authenticate(basic('rs1', 'wrong'), {})).rejects.toBeInstanceOf(InvalidClientError);
    await expect(auth.authenticate(basic('rs1', 'wrong'), {})).rejects.toBeInstanceOf(InvalidClientError);
    expect(state.calls).toBe(3);
  });

  it('does not let a cached basic authentication pass as client_secret_post', async () => {
    const { auth } = setup();
    await auth.authenticate(basic('rs1', 'right'), {});
    await expect(auth.authenticate({}, { client_id: 'rs1', client_secret: 'right' })).rejects.toBeInstanceOf(
      InvalidClientError,
    );
  });

  it('refuses an unauthenticated caller and a public client with a Basic challenge (401)', async () => {
    const { auth } = setup();
    for (const [headers, body] of [
      [{}, {}],
      [{}, { client_id: 'rs1' }],
    ] as const) {
      const err = await auth.authenticate(headers, body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidClientError);
      expect((err as InvalidClientError).basicChallenge).toBe(true);
    }
  });
});
