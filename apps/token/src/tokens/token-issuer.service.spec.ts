import type { AppendRequest, EventStore } from '@tessera/event-store';
import { InvalidScopeError } from '@tessera/oauth';
import { type IssueRequest, TokenIssuer } from './token-issuer.service';
import type { ScopeRequirement } from './token-ports';

// DESIGN §5: a token for a scope carries the scope's required claims; the catalogue is read once per issuance.
const CATALOGUE: Record<string, string[]> = { read: [], orders_read: ['account_nr'] };

function setup() {
  const lookups: (readonly string[])[] = [];
  const appended: AppendRequest[][] = [];
  const store = {
    appendMany: async (requests: readonly AppendRequest[]) => {
      appended.push([...requests]);
      return requests.map((r) => ({ streamId: r.streamId, nextExpectedVersion: 1, positions: [1] }));
    },
  } as unknown as EventStore;
  const signed: Record<string, unknown>[] = [];
  const signer = { sign: async (payload: Record<string, unknown>) => (signed.push(payload), 'header.payload.sig') };
  const scopes = {
    get: async (names: readonly string[]): Promise<ScopeRequirement[]> => {
      lookups.push(names);
      return names.filter((n) => n in CATALOGUE).map((name) => ({ name, requiredClaims: CATALOGUE[name] }));
    },
  };
  const issuer = new TokenIssuer(store, { issuer: 'https://issuer.example' }, signer, scopes);
  return { issuer, lookups, appended, signed };
}

const request = (extra: Partial<IssueRequest> = {}): IssueRequest => ({
  clientId: 'c1',
  format: 'jwt',
  sub: 'user-1',
  scopes: ['read', 'orders_read'],
  audience: ['https://api.example'],
  claims: { account_nr: 'NL01', email: 'x@example.com' },
  meta: { now: new Date('2030-01-01T00:00:00Z'), actor: 'client:c1' },
  ...extra,
});

describe('TokenIssuer scope requirements (DESIGN §5)', () => {
  it('reads the catalogue when no requirements are given and puts only the required claims in the token', async () => {
    const { issuer, lookups, appended, signed } = setup();
    await issuer.issue(request());
    expect(lookups).toEqual([['read', 'orders_read']]);
    expect(signed[0]).toEqual(expect.objectContaining({ account_nr: 'NL01' }));
    expect(signed[0].email).toBeUndefined();
    expect(appended).toHaveLength(1);
  });

  it('uses requirements looked up by the caller without reading the catalogue again', async () => {
    const { issuer, lookups, signed } = setup();
    await issuer.issue(request({ scopeRequirements: [{ name: 'orders_read', requiredClaims: ['account_nr'] }] }));
    expect(lookups).toEqual([]);
    expect(signed[0].account_nr).toBe('NL01');
  });

  it('issues nothing when a required claim is missing, with given or looked-up requirements', async () => {
    const { issuer, appended } = setup();
    await expect(issuer.issue(request({ claims: {} }))).rejects.toThrow(InvalidScopeError);
    await expect(
      issuer.issue(
        request({ claims: {}, scopeRequirements: [{ name: 'orders_read', requiredClaims: ['account_nr'] }] }),
      ),
    ).rejects.toThrow(/orders_read requires claims the subject lacks: account_nr/);
    expect(appended).toEqual([]);
  });
});
