import { Inject, Injectable } from '@nestjs/common';
import {
  ClientAuthenticator,
  DUMMY_SECRET_HASH,
  foldClient,
  type RegisteredClient,
  secretMatches,
  toRegisteredClient,
} from '@tessera/clients';
import { clientStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { type HeaderBag, InvalidClientError, presentedClientCredentials } from '@tessera/oauth';
import { EVENT_STORE } from '@tessera/platform';
import type { StreamGuard } from '../tokens/token-ports';
import { ClientSecretStore } from './client-secret.store';

/** Clients kept in the cache at most (oldest evicted first): memory stays bounded whatever the callers send. */
export const MAX_CACHED_CLIENTS = 10_000;

/** An authenticated client, and what makes an answer from the cache exact at append time. */
export interface AuthenticatedClient {
  client: RegisteredClient;
  /** `client-<id>` at the version the answer was based on; null only from test doubles. */
  guard: StreamGuard | null;
  /** True when the answer came from the cache: a refusal based on the client's metadata must be re-checked. */
  cached: boolean;
}

/** A live client as folded from its stream, the stream's version, and its secret's hash. */
interface CachedClient {
  client: RegisteredClient;
  version: number;
  secretHash: Buffer | null;
}

/**
 * The token endpoint's client authentication (RFC 6749 §2.3) without a read
 * per request (issue 3 benchmark): a per-process cache of (client, client
 * stream version, secret hash). The answer carries a guard on `client-<id>`
 * at that version; the grants append it with the token, so a token is only
 * committed if the client is unchanged at commit time. Secret rotation and
 * delete append to the client stream in the secret row's transaction, so the
 * guard covers the secret too. A failure from the cache is re-checked against
 * the database before answering 401 (a just-rotated secret works at once);
 * failures are never cached. An unknown client and a wrong secret fail with
 * the same work (issue 3: timing): both read and compare in constant time.
 * private_key_jwt goes to ClientAuthenticator (its jti is single use).
 */
@Injectable()
export class TokenClientAuthenticator {
  private readonly cache = new Map<string, CachedClient>();

  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly secrets: ClientSecretStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The authenticated client, or InvalidClientError / InvalidRequestError; `fresh` bypasses the cache. */
  async authenticate(
    headers: HeaderBag,
    body: Record<string, unknown> | undefined,
    options: { fresh?: boolean } = {},
  ): Promise<AuthenticatedClient> {
    const presented = presentedClientCredentials(headers, body);
    if (presented.method === 'private_key_jwt') {
      // Never cached (its jti is single use), but guarded like the others: the client's stream at the version
      // the assertion was checked against, so a key or metadata change meanwhile fails the token's append.
      const { client, version } = await this.clients.authenticateAssertionPresented(presented);
      return { client, guard: { streamId: clientStream(client.clientId), version }, cached: false };
    }
    const secret = presented.method === 'none' ? undefined : presented.clientSecret;
    const accepts = (entry: CachedClient | null): boolean => {
      // Compared even for an unknown or public client (against a hash no secret matches): the same work.
      const matches = secret === undefined || secretMatches(secret, entry?.secretHash ?? DUMMY_SECRET_HASH);
      return (
        entry !== null &&
        matches &&
        entry.client.tokenEndpointAuthMethod === presented.method &&
        (secret === undefined || entry.secretHash !== null)
      );
    };
    const hit = options.fresh ? undefined : this.cache.get(presented.clientId);
    if (hit !== undefined && accepts(hit)) return answer(presented.clientId, hit, true);
    // A miss, or a refusal from the cache: the database decides (the client may have just changed).
    const entry = await this.load(presented.clientId);
    if (!accepts(entry)) {
      throw new InvalidClientError('client authentication failed', presented.method === 'client_secret_basic');
    }
    return answer(presented.clientId, entry!, false);
  }

  /** Drops a client's cached entry (its guard failed, or a refusal needs a fresh look). */
  forget(clientId: string): void {
    this.cache.delete(clientId);
  }

  /**
   * Reads the stream, then the secret row (in this order: a row older than the
   * stream version read is impossible, a newer one only fails the guard), and
   * caches a live client; unknown and deleted ones are not cached.
   */
  private async load(clientId: string): Promise<CachedClient | null> {
    this.cache.delete(clientId);
    const events = await this.store.readStream(clientStream(clientId));
    const row = await this.secrets.get(clientId);
    const state = foldClient(events);
    if (state === null || state.deleted) return null;
    const entry = {
      client: toRegisteredClient(state),
      version: events[events.length - 1].streamVersion,
      secretHash: row?.secretHash ?? null,
    };
    this.cache.set(clientId, entry);
    if (this.cache.size > MAX_CACHED_CLIENTS) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }
}

function answer(clientId: string, entry: CachedClient, cached: boolean): AuthenticatedClient {
  return { client: entry.client, guard: { streamId: clientStream(clientId), version: entry.version }, cached };
}
