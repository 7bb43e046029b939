import { InvalidClientMetadataError, InvalidRedirectUriError } from '@tessera/oauth';
import { checkResourceIdentifiers, TOKEN_EXCHANGE_GRANT, validateClientMetadata } from './client-metadata.validator';

const cc = { grant_types: ['client_credentials'] };
const pkj = { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' };
const ecKey = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

describe('validateClientMetadata (RFC 7591 §2)', () => {
  it('applies the defaults: authorization_code, code, client_secret_basic, reference tokens', () => {
    expect(validateClientMetadata({ redirect_uris: ['https://app.example/cb'] })).toEqual({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['https://app.example/cb'],
      scope: '',
      token_endpoint_auth_method: 'client_secret_basic',
      access_token_format: 'reference',
    });
  });

  it('accepts a machine client with no redirect URIs and ignores unknown fields', () => {
    const m = validateClientMetadata({
      grant_types: ['client_credentials'],
      scope: 'orders_read orders_write',
      access_token_format: 'jwt',
      client_name: 'billing',
      software_id: 'ignored',
    });
    expect(m).toMatchObject({
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      client_name: 'billing',
    });
    expect(m).not.toHaveProperty('software_id');
  });

  it.each([
    ['a non-object body', []],
    ['null', null],
    ['an unknown grant type', { grant_types: ['password'] }],
    ['grant_types not an array', { grant_types: 'client_credentials' }],
    ['an empty grant_types', { grant_types: [] }],
    ['duplicate grant types', { grant_types: ['client_credentials', 'client_credentials'] }],
    ['a bad scope', { grant_types: ['client_credentials'], scope: 'a  b' }],
    ['a scope of the wrong type', { grant_types: ['client_credentials'], scope: 42 }],
    ['an unknown token format', { grant_types: ['client_credentials'], access_token_format: 'paseto' }],
    ['an unknown auth method', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'tls_client_auth' }],
    ['private_key_jwt with both jwks and jwks_uri', { ...pkj, jwks: { keys: [ecKey] }, jwks_uri: 'https://x/jwks' }],
    ['private_key_jwt with neither jwks nor jwks_uri', pkj],
    ['private_key_jwt with a private key in jwks', { ...pkj, jwks: { keys: [{ ...ecKey, d: 'secret' }] } }],
    ['private_key_jwt with a symmetric key', { ...pkj, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }],
    ['private_key_jwt with empty jwks', { ...pkj, jwks: { keys: [] } }],
    ['private_key_jwt with an http jwks_uri', { ...pkj, jwks_uri: 'http://keys.example/jwks' }],
    ['jwks with a secret method', { grant_types: ['client_credentials'], jwks: { keys: [] } }],
    ['a public client_credentials client', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }],
    ['response_types without the code grant', { grant_types: ['client_credentials'], response_types: ['code'] }],
    [
      'a token_exchange_policy without the grant',
      { grant_types: ['client_credentials'], token_exchange_policy: { api: 'read' } },
    ],
    [
      'a token_exchange_policy that is not an object',
      { grant_types: [TOKEN_EXCHANGE_GRANT], token_exchange_policy: ['api'] },
    ],
    [
      'a token_exchange_policy with an empty scope',
      { grant_types: [TOKEN_EXCHANGE_GRANT], token_exchange_policy: { api: '' } },
    ],
    ['a client_name that is not a string', { grant_types: ['client_credentials'], client_name: { x: 1 } }],
    ['resource_identifiers not an array', { ...cc, resource_identifiers: 'https://orders.example' }],
    ['a relative resource identifier', { ...cc, resource_identifiers: ['/orders'] }],
    ['a bare word as resource identifier', { ...cc, resource_identifiers: ['orders'] }],
    ['a resource identifier with a fragment', { ...cc, resource_identifiers: ['https://orders.example/api#x'] }],
    ['an empty resource identifier', { ...cc, resource_identifiers: [''] }],
    ['a resource identifier that is not a string', { ...cc, resource_identifiers: [42] }],
    ['duplicate resource identifiers', { ...cc, resource_identifiers: ['urn:x:orders', 'urn:x:orders'] }],
    [
      'too many resource identifiers',
      { ...cc, resource_identifiers: Array.from({ length: 21 }, (_, i) => `urn:r:${i}`) },
    ],
  ])('rejects %s with invalid_client_metadata', (_case, body) => {
    expect(() => validateClientMetadata(body)).toThrow(InvalidClientMetadataError);
  });

  it.each([
    ['missing for authorization_code', {}],
    ['not https', { redirect_uris: ['http://app.example/cb'] }],
    ['with a fragment', { redirect_uris: ['https://app.example/cb#x'] }],
    ['relative', { redirect_uris: ['/cb'] }],
    ['a custom scheme', { redirect_uris: ['myapp://cb'] }],
    ['with credentials', { redirect_uris: ['https://u:p@app.example/cb'] }],
    ['on a machine client', { grant_types: ['client_credentials'], redirect_uris: ['https://app.example/cb'] }],
    ['not strings', { redirect_uris: [1] }],
  ])('rejects redirect URIs %s with invalid_redirect_uri', (_case, body) => {
    expect(() => validateClientMetadata(body)).toThrow(InvalidRedirectUriError);
  });

  it('accepts private_key_jwt with inline public jwks or an https / loopback jwks_uri (RFC 7591 §2)', () => {
    expect(validateClientMetadata({ ...pkj, jwks: { keys: [ecKey] } })).toMatchObject({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [ecKey] },
    });
    for (const uri of ['https://keys.example/jwks', 'http://127.0.0.1:9999/jwks']) {
      expect(validateClientMetadata({ ...pkj, jwks_uri: uri }).jwks_uri).toBe(uri);
    }
  });

  it('accepts loopback http redirect URIs exactly as given (RFC 8252 §7.3)', () => {
    const uris = ['http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost:3000/cb?x=1'];
    expect(validateClientMetadata({ redirect_uris: uris, token_endpoint_auth_method: 'none' }).redirect_uris).toEqual(
      uris,
    );
  });

  it('normalises a token_exchange_policy to distinct scopes per audience', () => {
    const m = validateClientMetadata({
      grant_types: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
      token_exchange_policy: { 'https://orders.example': 'orders_read orders_read' },
    });
    expect(m.token_exchange_policy).toEqual({ 'https://orders.example': 'orders_read' });
  });

  it('keeps resource_identifiers (RFC 8707 §2 absolute URIs, query allowed) as given, and omits them when absent', () => {
    const resources = ['https://orders.example/api', 'urn:tessera:billing', 'https://x.example/a?tenant=1'];
    expect(validateClientMetadata({ ...cc, resource_identifiers: resources }).resource_identifiers).toEqual(resources);
    expect(validateClientMetadata({ ...cc, resource_identifiers: [] }).resource_identifiers).toEqual([]);
    expect(validateClientMetadata(cc)).not.toHaveProperty('resource_identifiers');
  });
});

describe('checkResourceIdentifiers', () => {
  const ISSUER = 'https://issuer.example';
  const withResources = (resource_identifiers?: string[]) => ({
    ...validateClientMetadata(cc),
    ...(resource_identifiers ? { resource_identifiers } : {}),
  });

  it('lets a registration declare resources, but never the issuer', () => {
    expect(() => checkResourceIdentifiers(withResources(['https://orders.example']), ISSUER)).not.toThrow();
    expect(() => checkResourceIdentifiers(withResources(), ISSUER)).not.toThrow();
    for (const issuer of [ISSUER, `${ISSUER}/`]) {
      expect(() => checkResourceIdentifiers(withResources([issuer]), ISSUER)).toThrow(InvalidClientMetadataError);
    }
  });

  it('lets an RFC 7592 update keep or drop resources, never add one', () => {
    const before = withResources(['https://a.example', 'https://b.example']);
    expect(() => checkResourceIdentifiers(withResources(['https://b.example']), ISSUER, before)).not.toThrow();
    expect(() => checkResourceIdentifiers(withResources(), ISSUER, before)).not.toThrow();
    expect(() =>
      checkResourceIdentifiers(withResources(['https://a.example', 'https://c.example']), ISSUER, before),
    ).toThrow(InvalidClientMetadataError);
    expect(() => checkResourceIdentifiers(withResources(['https://a.example']), ISSUER, withResources())).toThrow(
      InvalidClientMetadataError,
    );
  });
});
