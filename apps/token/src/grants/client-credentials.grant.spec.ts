import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from '@tessera/oauth';
import type { RegisteredClient } from '../clients/registered-client';
import type { IssueRequest, TokenIssuer } from '../tokens/token-issuer.service';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { parseFormParams } from './token-params';

const ISSUER = 'https://issuer.example';
const meta = { now: new Date('2030-01-01T00:00:00Z'), actor: 'client:m2m' };
const client = (extra: Partial<RegisteredClient> = {}): RegisteredClient =>
  ({
    clientId: 'm2m',
    grantTypes: ['client_credentials'],
    scopes: ['read', 'write', 'orders_read'],
    accessTokenFormat: 'jwt',
    tokenExchangePolicy: { 'https://api.example': ['read'] },
    ...extra,
  }) as RegisteredClient;

function grant() {
  const issued: IssueRequest[] = [];
  const issuer = {
    issue: async (r: IssueRequest) => {
      issued.push(r);
      return { access_token: 'x', token_type: 'Bearer' as const, expires_in: 900, scope: r.scopes.join(' ') };
    },
  } as unknown as TokenIssuer;
  const lookups: (readonly string[])[] = [];
  const scopes = {
    get: async (names: readonly string[]) => {
      lookups.push(names);
      return names.map((name) => ({ name, requiredClaims: name === 'orders_read' ? ['account_nr'] : [] }));
    },
  };
  return { issued, lookups, grant: new ClientCredentialsGrant(issuer, scopes, { issuer: ISSUER }) };
}

describe('client_credentials grant (RFC 6749 §4.4, RFC 8707)', () => {
  it('issues for the requested scopes with sub = client id and no refresh token', async () => {
    const { grant: g, issued } = grant();
    await g.handle(parseFormParams({ grant_type: 'client_credentials', scope: 'read write' }), client(), meta);
    expect(issued).toEqual([
      expect.objectContaining({
        clientId: 'm2m',
        sub: 'm2m',
        scopes: ['read', 'write'],
        format: 'jwt',
        audience: ['https://api.example'],
      }),
    ]);
    expect(issued[0].refreshToken).toBeUndefined();
  });

  it('reads the scope catalogue once and hands the requirements to the issuer', async () => {
    const { grant: g, issued, lookups } = grant();
    await g.handle(parseFormParams({ scope: 'read write' }), client(), meta);
    expect(lookups).toEqual([['read', 'write']]);
    expect(issued[0].scopeRequirements).toEqual([
      { name: 'read', requiredClaims: [] },
      { name: 'write', requiredClaims: [] },
    ]);
  });

  it('refuses scopes beyond the registered ones and scopes requiring user claims', async () => {
    const { grant: g, issued } = grant();
    await expect(g.handle(parseFormParams({ scope: 'admin' }), client(), meta)).rejects.toThrow(InvalidScopeError);
    await expect(g.handle(parseFormParams({ scope: 'orders_read' }), client(), meta)).rejects.toThrow(
      /cannot be granted to a client: orders_read \(account_nr\)/,
    );
    await expect(g.handle(parseFormParams({ scope: 'bad"scope' }), client(), meta)).rejects.toThrow(InvalidScopeError);
    expect(issued).toEqual([]);
  });

  it('takes one allowed resource as the only audience; anything else is invalid_target', async () => {
    const { grant: g, issued } = grant();
    await g.handle(parseFormParams({ scope: 'read', resource: ISSUER }), client(), meta);
    expect(issued[0].audience).toEqual([ISSUER]);
    for (const resource of ['https://other.example', 'relative/path', 'https://api.example#frag']) {
      await expect(g.handle(parseFormParams({ scope: 'read', resource }), client(), meta)).rejects.toThrow(
        InvalidTargetError,
      );
    }
    await expect(
      g.handle(parseFormParams({ scope: 'read', resource: ['https://api.example', ISSUER] }), client(), meta),
    ).rejects.toThrow(InvalidTargetError);
  });

  it('defaults the audience to the issuer when the client names no single API', async () => {
    const { grant: g, issued } = grant();
    await g.handle(parseFormParams({ scope: 'read' }), client({ tokenExchangePolicy: {} }), meta);
    expect(issued[0].audience).toEqual([ISSUER]);
  });
});

describe('form parameters (RFC 6749 §3.2)', () => {
  it('rejects repeated and non-string parameters, treats empty as omitted, allows repeated resource', () => {
    expect(() => parseFormParams({ scope: ['a', 'b'] })).toThrow(InvalidRequestError);
    expect(() => parseFormParams({ scope: { a: 1 } })).toThrow(InvalidRequestError);
    expect(() => parseFormParams('text')).toThrow(InvalidRequestError);
    expect(parseFormParams({ scope: '' }).get('scope')).toBeUndefined();
    expect(parseFormParams({ resource: ['x', 'y'] }).all('resource')).toEqual(['x', 'y']);
  });
});
