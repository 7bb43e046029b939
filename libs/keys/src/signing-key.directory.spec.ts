import type { PublicSigningJwk } from '@tessera/contracts';
import type { SigningKeyState } from './signing-key.decider';
import { currentKey, keysOf, publishedKeys } from './signing-key.directory';
import { signingKeysProjection } from './signing-keys.projection';

const key = (kid: string, owner: string, status: SigningKeyState['status'], activatedAt?: string): SigningKeyState => ({
  kid,
  owner,
  alg: 'ES256',
  publicJwk: { kty: 'EC', kid, alg: 'ES256', use: 'sig' } as PublicSigningJwk,
  status,
  createdAt: '2025-01-01T00:00:00.000Z',
  activateAfter: '2025-01-01T00:00:00.000Z',
  activatedAt,
});

describe('signing key directory (DESIGN §5: own keys sign, every key is published)', () => {
  // The introspection key was activated last: a filter on owner is all that keeps the token service off it.
  const keys = [
    key('t-old', 'token', 'retired', '2025-01-01T00:00:00.000Z'),
    key('t1', 'token', 'active', '2025-01-02T00:00:00.000Z'),
    key('i1', 'introspection', 'active', '2025-01-03T00:00:00.000Z'),
    key('i2', 'introspection', 'created'),
  ];

  it('the token service never signs with an introspection key', () => {
    expect(currentKey(keysOf(keys, 'token'))?.kid).toBe('t1');
  });

  it('the introspection service never signs with a token key', () => {
    expect(currentKey(keysOf(keys, 'introspection'))?.kid).toBe('i1');
    expect(currentKey(keysOf(keys.slice(0, 2), 'introspection'))).toBeUndefined();
  });

  it('reads a row folded before owners were recorded as the token service’s', () => {
    const { owner: _owner, ...legacy } = key('t0', 'token', 'active', '2025-01-04T00:00:00.000Z');
    const rows = [...keys, legacy as SigningKeyState];
    expect(currentKey(keysOf(rows, 'token'))?.kid).toBe('t0');
    expect(currentKey(keysOf(rows, 'introspection'))?.kid).toBe('i1');
  });

  it('publishes every owner’s non-retired keys, signing or not yet', () => {
    expect(publishedKeys(keys).map((k) => k.kid)).toEqual(['t1', 'i1', 'i2']);
  });

  it('keeps one read model per schema, all named signing_keys_public', () => {
    const token = signingKeysProjection('token');
    const introspection = signingKeysProjection('introspection');
    expect([token.schema, token.name]).toEqual(['token', 'signing_keys_public']);
    expect([introspection.schema, introspection.name]).toEqual(['introspection', 'signing_keys_public']);
    expect(() => signingKeysProjection('x"; drop')).toThrow(/schema/);
  });
});
