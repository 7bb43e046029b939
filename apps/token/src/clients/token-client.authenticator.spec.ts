import { ClientAuthenticator, type ClientAssertionVerifier, ClientDirectory, hashSecret } from '@tessera/clients';
import { ClientEvents } from '@tessera/contracts';
import type { EventStore, RecordedEvent } from '@tessera/event-store';
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@tessera/oauth';
import { basic as basicAuth, invalidClient } from '../../../../test/support/oauth-helpers';
import type { ClientSecretRow, ClientSecretStore } from './client-secret.store';
import { MAX_CACHED_CLIENTS, TokenClientAuthenticator } from './token-client.authenticator';

const metadata = (method: string) => ({
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  scope: 'a',
  token_endpoint_auth_method: method,
  access_token_format: 'reference',
});

/** An in-memory client log and secret table that count their reads. */
function world() {
  const streams = new Map<string, Pick<RecordedEvent, 'type' | 'data' | 'streamVersion'>[]>();
  const rows = new Map<string, ClientSecretRow>();
  const reads = { streams: 0, rows: 0 };
  const append = (id: string, type: string, data: Record<string, unknown>) => {
    const s = streams.get(`client-${id}`) ?? [];
    s.push({ type, data, streamVersion: s.length + 1 });
    streams.set(`client-${id}`, s);
  };
  const store = {
    readStream: async (id: string) => {
      reads.streams++;
      return [...(streams.get(id) ?? [])];
    },
  } as unknown as EventStore;
  const secrets = {
    get: async (id: string) => {
      reads.rows++;
      return rows.get(id) ?? null;
    },
  } as unknown as ClientSecretStore;
  const register = (id: string, secret: string | null, method = 'client_secret_basic') => {
    append(id, ClientEvents.registered, { clientId: id, issuedAt: 1, metadata: metadata(method) });
    rows.set(id, { secretHash: secret === null ? null : hashSecret(secret), registrationTokenHash: hashSecret('r') });
  };
  const rotate = (id: string, secret: string) => {
    append(id, ClientEvents.secretRotated, { clientId: id, rotatedAt: 2 });
    rows.set(id, { ...rows.get(id)!, secretHash: hashSecret(secret) });
  };
  const remove = (id: string) => {
    append(id, ClientEvents.deleted, { clientId: id });
    rows.delete(id);
  };
  const auth = new TokenClientAuthenticator({} as ClientAuthenticator, secrets, store);
  return { auth, reads, register, rotate, remove, store, append };
}

const basic = (id: string, secret: string) => basicAuth({ id, secret });

describe('TokenClientAuthenticator', () => {
  it('guards a private_key_jwt client too: its stream at the version the assertion was checked against', async () => {
    const w = world();
    w.register('pk', null, 'private_key_jwt');
    w.append('pk', ClientEvents.updated, { clientId: 'pk', metadata: metadata('private_key_jwt') });
    const checked: string[] = [];
    const assertions = {
      verify: async (client: { clientId: string }) => void checked.push(client.clientId),
    } as unknown as ClientAssertionVerifier;
    const secretCheck = { matches: async () => false };
    const auth = new TokenClientAuthenticator(
      new ClientAuthenticator(new ClientDirectory(w.store), secretCheck, assertions),
      {} as ClientSecretStore,
      w.store,
    );
    const body = {
      client_id: 'pk',
      client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
      client_assertion: 'a.b.c',
    };
    const answer = await auth.authenticate({}, body);
    expect(checked).toEqual(['pk']);
    expect(answer).toMatchObject({ cached: false, guard: { streamId: 'client-pk', version: 2 } });
    expect(answer.client.clientId).toBe('pk');
  });

  it('answers from the cache after the first read, with a guard at the stream version', async () => {
    const w = world();
    w.register('c1', 's1');
    const first = await w.auth.authenticate(basic('c1', 's1'), {});
    expect(first).toMatchObject({ cached: false, guard: { streamId: 'client-c1', version: 1 } });
    expect(first.client.clientId).toBe('c1');
    const second = await w.auth.authenticate(basic('c1', 's1'), {});
    expect(second).toMatchObject({ cached: true, guard: { streamId: 'client-c1', version: 1 } });
    expect(w.reads).toEqual({ streams: 1, rows: 1 });
  });

  it('a rotated secret works at once, and the old one is refused on the next request', async () => {
    const w = world();
    w.register('c1', 'old');
    await w.auth.authenticate(basic('c1', 'old'), {});
    w.rotate('c1', 'new');
    // The cache still holds the old hash: the refusal is re-checked against the database.
    const now = await w.auth.authenticate(basic('c1', 'new'), {});
    expect(now).toMatchObject({ cached: false, guard: { version: 2 } });
    await invalidClient(w.auth.authenticate(basic('c1', 'old'), {}));
  });

  it('a client rotated after it was cached gets a guard the append will fail on (version moved)', async () => {
    const w = world();
    w.register('c1', 'old');
    await w.auth.authenticate(basic('c1', 'old'), {});
    w.rotate('c1', 'new');
    // From the cache the old secret still matches, guarded at version 1: the stream is at 2, so the append fails.
    const stale = await w.auth.authenticate(basic('c1', 'old'), {});
    expect(stale).toMatchObject({ cached: true, guard: { streamId: 'client-c1', version: 1 } });
    // The endpoint then forgets the entry, and the fresh read refuses.
    w.auth.forget('c1');
    await invalidClient(w.auth.authenticate(basic('c1', 'old'), {}));
  });

  it('a deleted client is refused at once (re-read on the next request, never cached as a failure)', async () => {
    const w = world();
    w.register('c1', 's1');
    await w.auth.authenticate(basic('c1', 's1'), {});
    w.remove('c1');
    // From the cache it still matches but carries guard version 1; the stream is at 2, so the append fails,
    // the endpoint forgets it and the fresh read refuses.
    const cached = await w.auth.authenticate(basic('c1', 's1'), {});
    expect(cached.guard).toEqual({ streamId: 'client-c1', version: 1 });
    w.auth.forget('c1');
    await invalidClient(w.auth.authenticate(basic('c1', 's1'), {}));
    const before = { ...w.reads };
    await invalidClient(w.auth.authenticate(basic('c1', 's1'), {}));
    expect(w.reads).toEqual({ streams: before.streams + 1, rows: before.rows + 1 });
  });

  it('a just-registered client works at once, after a failure for its id (failures are not cached)', async () => {
    const w = world();
    await invalidClient(w.auth.authenticate(basic('c2', 's2'), {}));
    w.register('c2', 's2');
    expect((await w.auth.authenticate(basic('c2', 's2'), {})).client.clientId).toBe('c2');
  });

  it('fails an unknown client and a wrong secret identically, with the same reads', async () => {
    const w = world();
    w.register('c1', 's1');
    const unknown = await invalidClient(w.auth.authenticate(basic('nobody', 'x'), {}));
    expect(w.reads).toEqual({ streams: 1, rows: 1 });
    const wrong = await invalidClient(w.auth.authenticate(basic('c1', 'x'), {}));
    expect(w.reads).toEqual({ streams: 2, rows: 2 });
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.basicChallenge).toBe(wrong.basicChallenge);
  });

  it('refuses the wrong method and a secret presented for a public client', async () => {
    const w = world();
    w.register('pub', null, 'none');
    w.register('c1', 's1');
    expect((await w.auth.authenticate({}, { client_id: 'pub' })).client.clientId).toBe('pub');
    await invalidClient(w.auth.authenticate(basic('pub', 'anything'), {}));
    await invalidClient(w.auth.authenticate({}, { client_id: 'c1', client_secret: 's1' }));
    await invalidClient(w.auth.authenticate({}, { client_id: 'c1' }));
  });

  it('keeps at most MAX_CACHED_CLIENTS entries', async () => {
    const w = world();
    for (let i = 0; i <= MAX_CACHED_CLIENTS; i++) w.register(`c${i}`, 's');
    for (let i = 0; i <= MAX_CACHED_CLIENTS; i++) await w.auth.authenticate(basic(`c${i}`, 's'), {});
    // The oldest was evicted: it is read again; the newest is still cached.
    expect((await w.auth.authenticate(basic('c0', 's'), {})).cached).toBe(false);
    expect((await w.auth.authenticate(basic(`c${MAX_CACHED_CLIENTS}`, 's'), {})).cached).toBe(true);
  });
});
