import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from './errors';
import {
  ACCESS_TOKEN_TYPE,
  actorChainDepth,
  narrowScope,
  nestActor,
  parseTokenExchangeRequest,
} from './token-exchange';

const params = (values: Record<string, string | string[]>) => ({
  get: (name: string) => [values[name]].flat()[0],
  all: (name: string) => (values[name] === undefined ? [] : [values[name]].flat()),
});

describe('token exchange protocol steps (RFC 8693)', () => {
  it('parses a request with one target (§2.1)', () => {
    expect(
      parseTokenExchangeRequest(
        params({
          subject_token: 's',
          subject_token_type: ACCESS_TOKEN_TYPE,
          resource: 'https://b.example',
          scope: 'a b',
        }),
      ),
    ).toEqual({ subject: { token: 's', type: ACCESS_TOKEN_TYPE }, target: 'https://b.example', scope: ['a', 'b'] });
    const base = { subject_token: 's', subject_token_type: ACCESS_TOKEN_TYPE };
    expect(() => parseTokenExchangeRequest(params(base))).toThrow(InvalidRequestError);
    expect(() => parseTokenExchangeRequest(params({ ...base, audience: ['a', 'b'] }))).toThrow(InvalidTargetError);
    expect(() => parseTokenExchangeRequest(params({ ...base, resource: 'not a uri' }))).toThrow(InvalidTargetError);
    expect(() =>
      parseTokenExchangeRequest(params({ ...base, audience: 'a', actor_token_type: ACCESS_TOKEN_TYPE })),
    ).toThrow(InvalidRequestError);
  });

  it('narrows scope: default subject ∩ allowance; anything beyond either is invalid_scope', () => {
    expect(narrowScope(['a', 'b', 'c'], ['b', 'c', 'd'], undefined)).toEqual({ granted: ['b', 'c'], dropped: ['a'] });
    expect(narrowScope(['a', 'b', 'c'], ['b', 'c'], ['c'])).toEqual({ granted: ['c'], dropped: ['a', 'b'] });
    expect(() => narrowScope(['a'], ['a', 'd'], ['d'])).toThrow(InvalidScopeError);
    expect(() => narrowScope(['a', 'b'], ['a'], ['b'])).toThrow(InvalidScopeError);
    expect(() => narrowScope(['a'], ['b'], undefined)).toThrow(InvalidScopeError);
  });

  it('nests actors (§4.1) and counts the chain', () => {
    const two = nestActor('c', nestActor('b', undefined));
    expect(two).toEqual({ sub: 'c', act: { sub: 'b' } });
    expect(actorChainDepth(two)).toBe(2);
    expect(actorChainDepth(undefined)).toBe(0);
  });
});
