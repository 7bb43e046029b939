import { ConcurrencyError } from '@tessera/event-store';
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

/**
 * A fake catalogue: `claims` is the log's truth, `cached` what getGuarded answers until forgotten
 * (version 1 = as cached, 2 = the log's current version once a scope's definition moved).
 */
function grant(opts: { cachedClaims?: Record<string, string[]>; failAppends?: number } = {}) {
  const issued: IssueRequest[] = [];
  let failAppends = opts.failAppends ?? 0;
  const issuer = {
    issue: async (r: IssueRequest) => {
      if (failAppends > 0 && (r.guards ?? []).length > 0) {
        failAppends--;
        throw new ConcurrencyError(r.guards![0].streamId, r.guards![0].version, r.guards![0].version + 1);
      }
      issued.push(r);
      return { access_token: 'x', token_type: 'Bearer' as const, expires_in: 900, scope: r.scopes.join(' ') };
    },
  } as unknown as TokenIssuer;
  const claims = (name: string) => (name === 'orders_read' ? ['account_nr'] : []);
  let cache: Record<string, string[]> | null = opts.cachedClaims ?? null;
  const lookups: string[] = [];
  const forgotten: string[][] = [];
  const scopes = {
    get: async (names: readonly string[]) => {
      lookups.push(`get ${names.join(' ')}`);
      return names.map((name) => ({ name, requiredClaims: claims(name) }));
    },
    getGuarded: async (names: readonly string[]) => {
      lookups.push(`getGuarded ${names.join(' ')}`);
      const fresh = cache === null;
      const answer = (name: string) => (cache ? (cache[name] ?? claims(name)) : claims(name));
      cache ??= {};
      return {
        requirements: names.map((name) => ({ name, requiredClaims: answer(name) })),
        guards: names.map((name) => ({ streamId: `scope-${name}`, version: 1 })),
        fresh,
      };
    },
    forget: (names: readonly string[]) => {
      forgotten.push([...names]);
      cache = null;
    },
  };
  return { issued, lookups, forgotten, grant: new ClientCredentialsGrant(issuer, scopes, { issuer: ISSUER }) };
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

  it('asks the scope catalogue once and hands the requirements and their guards to the issuer', async () => {
    const { grant: g, issued, lookups } = grant();
    await g.handle(parseFormParams({ scope: 'read write' }), client(), meta);
    expect(lookups).toEqual(['getGuarded read write']);
    expect(issued[0].scopeRequirements).toEqual([
      { name: 'read', requiredClaims: [] },
      { name: 'write', requiredClaims: [] },
    ]);
    expect(issued[0].guards).toEqual([
      { streamId: 'scope-read', version: 1 },
      { streamId: 'scope-write', version: 1 },
    ]);
  });

  it('when a guarded scope moved before the append, forgets the cache and decides again', async () => {
    const { grant: g, issued, lookups, forgotten } = grant({ failAppends: 1 });
    await g.handle(parseFormParams({ scope: 'read' }), client(), meta);
    expect(issued).toHaveLength(1);
    expect(forgotten).toEqual([['read']]);
    expect(lookups).toEqual(['getGuarded read', 'getGuarded read']);
  });

  it('after two moved guards, reads the log and issues still guarded; still moving: invalid_request, never a 500', async () => {
    const { grant: g, issued, lookups } = grant({ failAppends: 2 });
    await g.handle(parseFormParams({ scope: 'read' }), client(), meta);
    expect(lookups).toEqual(['getGuarded read', 'getGuarded read', 'getGuarded read']);
    expect(issued).toHaveLength(1);
    expect(issued[0].guards).toEqual([{ streamId: 'scope-read', version: 1 }]);

    const busy = grant({ failAppends: 5 });
    await expect(busy.grant.handle(parseFormParams({ scope: 'read' }), client(), meta)).rejects.toThrow(
      new InvalidRequestError('concurrent modification; retry'),
    );
    expect(busy.issued).toEqual([]);
  });

  it('re-checks a refusal made on cached definitions against the log before answering', async () => {
    // the cache still says `read` requires a claim; the log no longer does
    const { grant: g, issued, forgotten } = grant({ cachedClaims: { read: ['account_nr'] } });
    await g.handle(parseFormParams({ scope: 'read' }), client(), meta);
    expect(forgotten).toEqual([['read']]);
    expect(issued[0].scopeRequirements).toEqual([{ name: 'read', requiredClaims: [] }]);
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
