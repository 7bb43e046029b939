import type { ClientMetadata } from '@tessera/contracts';
import { toRegisteredClient } from './registered-client';

const metadata: ClientMetadata = {
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  scope: 'a b',
  token_endpoint_auth_method: 'client_secret_basic',
  access_token_format: 'reference',
};
const registered = (m: ClientMetadata) =>
  toRegisteredClient({ clientId: 'c1', issuedAt: 1, deleted: false, metadata: m });

describe('toRegisteredClient', () => {
  it('exposes the resources the client serves (resource_identifiers), none when not registered', () => {
    const resources = ['https://orders.example/api', 'urn:tessera:billing'];
    const client = registered({ ...metadata, resource_identifiers: resources });
    expect(client.resourceIdentifiers).toEqual(resources);
    expect(client.resourceIdentifiers).not.toBe(resources);
    expect(registered(metadata).resourceIdentifiers).toEqual([]);
    expect(registered(metadata).scopes).toEqual(['a', 'b']);
  });
});
