import { InvalidTokenError } from '@tessera/oauth';
import { MAX_ACTOR_CHAIN_DEPTH, principalFromClaims } from './principal';

const base = { sub: 'user-1', client_id: 'billing', scope: 'billing_read' };

describe('principalFromClaims', () => {
  it('flattens a two-hop `act` chain outermost first: the current actor, then the one before (RFC 8693 §4.1)', () => {
    const principal = principalFromClaims({
      ...base,
      act: { sub: 'billing-svc', iss: 'https://iam.example', act: { sub: 'orders-svc' } },
    });
    expect(principal.actorChain).toEqual([{ sub: 'billing-svc', iss: 'https://iam.example' }, { sub: 'orders-svc' }]);
    expect(principal).toMatchObject({ sub: 'user-1', clientId: 'billing', scopes: ['billing_read'] });
  });

  it('has an empty chain and no scopes when `act` and `scope` are absent', () => {
    expect(principalFromClaims({ sub: 's', client_id: 'c' })).toMatchObject({ scopes: [], actorChain: [] });
  });

  it('refuses a malformed `act`, `scope` or a chain deeper than the limit', () => {
    const reason = (claims: Record<string, unknown>) => {
      try {
        principalFromClaims({ ...base, ...claims });
        return 'accepted';
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidTokenError);
        return (err as InvalidTokenError).description;
      }
    };
    expect(reason({ act: 'orders-svc' })).toBe('act malformed');
    expect(reason({ act: { sub: 7 } })).toBe('act malformed');
    expect(reason({ scope: ['a'] })).toBe('scope malformed');
    let deep: Record<string, unknown> = { sub: 'last' };
    for (let i = 0; i < MAX_ACTOR_CHAIN_DEPTH; i++) deep = { sub: `a${i}`, act: deep };
    expect(reason({ act: deep })).toBe('act chain too deep');
  });
});
