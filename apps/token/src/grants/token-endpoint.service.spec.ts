import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '@tessera/oauth';
import type { ClientAuthenticator } from '../clients/client.authenticator';
import type { RegisteredClient } from '../clients/registered-client';
import type { Grant } from './grant';
import { TokenEndpoint } from './token-endpoint.service';

describe('token endpoint steps', () => {
  const handled: string[] = [];
  const grant: Grant = {
    grantType: 'client_credentials',
    handle: async (params) => {
      handled.push(params.get('grant_type')!);
      return { access_token: 'x', token_type: 'Bearer', expires_in: 1, scope: '' };
    },
  };
  const authenticated: RegisteredClient[] = [];
  const clients = {
    authenticate: async () => {
      const c = { clientId: 'c', grantTypes: ['refresh_token'] } as RegisteredClient;
      authenticated.push(c);
      return c;
    },
  } as unknown as ClientAuthenticator;
  const endpoint = new TokenEndpoint([grant], clients, () => new Date());

  it('checks grant_type before authenticating the client, then the client may use the grant', async () => {
    await expect(endpoint.handle({}, {})).rejects.toThrow(InvalidRequestError);
    await expect(endpoint.handle({}, { grant_type: 'password' })).rejects.toThrow(UnsupportedGrantTypeError);
    expect(authenticated).toHaveLength(0);
    await expect(endpoint.handle({}, { grant_type: 'client_credentials' })).rejects.toThrow(UnauthorizedClientError);
    expect(handled).toEqual([]);
  });

  it('dispatches to the grant plugin when everything holds', async () => {
    const ok = new TokenEndpoint(
      [grant],
      {
        authenticate: async () => ({ clientId: 'c', grantTypes: ['client_credentials'] }),
      } as unknown as ClientAuthenticator,
      () => new Date(),
    );
    await ok.handle({}, { grant_type: 'client_credentials' });
    expect(handled).toEqual(['client_credentials']);
  });
});
