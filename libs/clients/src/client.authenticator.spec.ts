import { InvalidClientError, InvalidRequestError } from '@tessera/oauth';
import { basic as basicAuth, invalidClient } from '../../../test/support/oauth-helpers';
import type { ClientAssertionVerifier } from './client-assertion.verifier';
import type { ClientDirectory } from './client.directory';
import { ClientAuthenticator } from './client.authenticator';
import type { ClientSecretCheck } from './client-secret-check';
import { toRegisteredClient } from './registered-client';

const client = (id: string, method: 'client_secret_basic' | 'client_secret_post' | 'none') =>
  toRegisteredClient({
    clientId: id,
    issuedAt: 1,
    deleted: false,
    metadata: {
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'a',
      token_endpoint_auth_method: method,
      access_token_format: 'reference',
    },
  });

const clients = {
  basic1: client('basic1', 'client_secret_basic'),
  post1: client('post1', 'client_secret_post'),
  public1: client('public1', 'none'),
};
const directory = { get: async (id: string) => clients[id as keyof typeof clients] ?? null } as ClientDirectory;
const secrets: ClientSecretCheck = {
  matches: async (id: string, secret: string) => id in clients && id !== 'public1' && secret === `secret-of-${id}`,
};
const assertions = {
  verify: async () => {
    throw new InvalidClientError('client authentication failed');
  },
} as unknown as ClientAssertionVerifier;
const auth = new ClientAuthenticator(directory, secrets, assertions);
const basic = (id: string, secret: string) => basicAuth({ id, secret });

describe('ClientAuthenticator', () => {
  it('authenticates each method as registered', async () => {
    expect((await auth.authenticate(basic('basic1', 'secret-of-basic1'), {})).clientId).toBe('basic1');
    expect((await auth.authenticate({}, { client_id: 'post1', client_secret: 'secret-of-post1' })).clientId).toBe(
      'post1',
    );
    expect((await auth.authenticate({}, { client_id: 'public1' })).clientId).toBe('public1');
  });

  it('fails an unknown client and a wrong secret identically', async () => {
    const unknown = await invalidClient(auth.authenticate(basic('nobody', 'x'), {}));
    const wrong = await invalidClient(auth.authenticate(basic('basic1', 'x'), {}));
    expect(unknown.toJSON()).toEqual(wrong.toJSON());
    expect([unknown.basicChallenge, wrong.basicChallenge]).toEqual([true, true]);
    const postUnknown = await invalidClient(auth.authenticate({}, { client_id: 'nobody', client_secret: 'x' }));
    expect(postUnknown.toJSON()).toEqual(unknown.toJSON());
    expect(postUnknown.basicChallenge).toBe(false);
  });

  it('refuses a method other than the registered one, even with the right secret', async () => {
    await invalidClient(auth.authenticate({}, { client_id: 'basic1', client_secret: 'secret-of-basic1' }));
    await invalidClient(auth.authenticate(basic('post1', 'secret-of-post1'), {}));
    await invalidClient(auth.authenticate({}, { client_id: 'basic1' }));
    await invalidClient(auth.authenticate({}, { client_id: 'public1', client_secret: 'anything' }));
  });

  it('refuses two methods at once with invalid_request', async () => {
    await expect(
      auth.authenticate(basic('basic1', 'secret-of-basic1'), { client_secret: 'secret-of-basic1' }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
