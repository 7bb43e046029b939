import { createHash } from 'node:crypto';
import type { IssuedTokenRow } from './active-tokens.projection';
import { HotTokenCache } from './hot-token.cache';
import type { LoadedToken } from './loaded-token';
import { ReadModelTokenIntrospector } from './read-model.token-introspector';
import type { TokenReadModel } from './token-read-model';

const VALUE = 'tsr_at_' + 'A'.repeat(43);
const HANDLE = createHash('sha256').update(VALUE).digest('base64url');
const NOW = Date.parse('2030-01-01T00:00:00Z');

function stored(over: Partial<IssuedTokenRow> = {}, familyRevoked = false): LoadedToken {
  return {
    row: {
      handle: HANDLE,
      clientId: 'client-a',
      sub: 'client-a',
      scope: 'orders_read',
      aud: ['rs'],
      format: 'reference',
      jti: 'j1',
      issuedAt: new Date(NOW - 60_000).toISOString(),
      expiresAt: new Date(NOW + 840_000).toISOString(),
      revoked: false,
      ...over,
    },
    familyRevoked,
  };
}

function setup(initial: LoadedToken | null) {
  const state = { token: initial, loads: 0, now: NOW };
  const readModel = {
    load: async (handle: string) => {
      state.loads++;
      return handle === HANDLE ? state.token : null;
    },
  } as unknown as TokenReadModel;
  const cache = new HotTokenCache();
  const introspector = new ReadModelTokenIntrospector(readModel, cache, () => state.now);
  return { state, cache, introspector };
}

describe('ReadModelTokenIntrospector', () => {
  it('finds a live token by the SHA-256 handle of its value', async () => {
    const { introspector } = setup(stored());
    expect(await introspector.introspect(VALUE)).toMatchObject({
      handle: HANDLE,
      clientId: 'client-a',
      scope: 'orders_read',
    });
  });

  it('is null for an unknown token and does not cache the miss (read-through finds it once issued)', async () => {
    const { introspector, state } = setup(null);
    expect(await introspector.introspect(VALUE)).toBeNull();
    state.token = stored();
    expect(await introspector.introspect(VALUE)).not.toBeNull();
    expect(state.loads).toBe(2);
  });

  it('is null for a malformed value without reading anything', async () => {
    const { introspector, state } = setup(stored());
    for (const bad of ['', 'with space', 'x'.repeat(9000), 'ünïcode', 'a\nb']) {
      expect(await introspector.introspect(bad)).toBeNull();
    }
    expect(await introspector.introspect(undefined as unknown as string)).toBeNull();
    expect(state.loads).toBe(0);
  });

  it('is null once expired', async () => {
    const { introspector, state } = setup(stored());
    state.now = NOW + 840_000;
    expect(await introspector.introspect(VALUE)).toBeNull();
  });

  it('is null when the read model says revoked, or its family revoked', async () => {
    expect(await setup(stored({ revoked: true })).introspector.introspect(VALUE)).toBeNull();
    expect(await setup(stored({ familyId: 'f1' }, true)).introspector.introspect(VALUE)).toBeNull();
  });

  it('serves the hot cache, and a revocation message makes it inactive at once', async () => {
    const { introspector, state, cache } = setup(stored());
    await introspector.introspect(VALUE);
    await introspector.introspect(VALUE);
    expect(state.loads).toBe(1);
    cache.revoke([HANDLE], state.now);
    // The read model has not caught up yet: the message still wins.
    expect(await introspector.introspect(VALUE)).toBeNull();
  });

  it('reads the read model again after 2 s, so a lost revocation message is stale at most that long', async () => {
    const { introspector, state } = setup(stored());
    await introspector.introspect(VALUE);
    state.token = stored({ revoked: true });
    state.now += 1_000;
    expect(await introspector.introspect(VALUE)).not.toBeNull();
    state.now += 1_000;
    expect(await introspector.introspect(VALUE)).toBeNull();
  });

  it('does not answer active when a revocation arrived while the read model was being read', async () => {
    const { introspector, state, cache } = setup(stored());
    const readModel = (introspector as unknown as { readModel: { load: (h: string) => Promise<LoadedToken> } })
      .readModel;
    const load = readModel.load;
    readModel.load = async (h) => {
      const answer = await load(h);
      cache.revoke([HANDLE], state.now);
      return answer;
    };
    expect(await introspector.introspect(VALUE)).toBeNull();
  });
});
