import type { AppendRequest, EventStore } from '@tessera/event-store';
import { openWithToken, type SealedWithToken } from '@tessera/keys';
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

  it('seals the released claims under the token value: never in clear in the log (DESIGN §2)', async () => {
    const { issuer, appended } = setup();
    const tokens = await issuer.issue(request({ format: 'reference', refreshToken: true }));
    const [access, family] = appended[0].map((r) => r.events[0]?.data ?? {});
    expect(JSON.stringify(appended)).not.toContain('NL01');
    expect(access.claims).toBeUndefined();
    expect(openWithToken(tokens.access_token, 'access-token.claims', access.sealedClaims as SealedWithToken)).toEqual({
      account_nr: 'NL01',
    });
    // The family keeps them for its rotations, under its refresh token.
    expect(
      openWithToken(tokens.refresh_token!, 'refresh-token.claims', family.sealedClaims as SealedWithToken),
    ).toEqual({ accessToken: { account_nr: 'NL01' } });
  });

  it('seals nothing when the scopes release no claim', async () => {
    const { issuer, appended } = setup();
    await issuer.issue(request({ scopes: ['read'], refreshToken: true }));
    expect(appended[0].every((r) => r.events.every((e) => !('sealedClaims' in e.data)))).toBe(true);
  });

  it("appends the caller's guards as requests without events, in the same appendMany as the token", async () => {
    const { issuer, appended } = setup();
    await issuer.issue(request({ guards: [{ streamId: 'scope-read', version: 3 }] }));
    expect(appended).toHaveLength(1);
    expect(appended[0].slice(1)).toEqual([{ streamId: 'scope-read', expectedVersion: 3, events: [] }]);
    expect(appended[0][0].events[0].type).toBe('access-token.issued');
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
