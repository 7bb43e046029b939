import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClientAuthenticator, type RegisteredClient } from '@tessera/clients';
import { type HeaderBag, InvalidClientError, presentedClientCredentials } from '@tessera/oauth';
import { CLOCK, type Clock } from './clock';

/**
 * How long a successful secret authentication is reused: a rotated secret or a
 * deleted client still passes here for at most this long.
 */
export const CALLER_CACHE_TTL_MS = 5_000;
/** Cached authentications at most (oldest evicted first): memory stays bounded whatever the callers do. */
export const CALLER_CACHE_MAX_ENTRIES = 10_000;

/**
 * Authenticates the caller of `/oauth/introspect` (RFC 7662 §2.1: the
 * endpoint requires authorization; resource servers are registered clients)
 * with client_secret_basic, client_secret_post or private_key_jwt. A public
 * client (`none`) is refused. Successful secret authentications are cached in
 * memory for CALLER_CACHE_TTL_MS (≤ 5 s) under SHA-256 of client id and
 * secret, at most CALLER_CACHE_MAX_ENTRIES of them; failures are never cached
 * and assertions never (their jti is single use).
 */
@Injectable()
export class IntrospectionCallerAuthenticator {
  private readonly cache = new Map<string, { client: RegisteredClient; until: number }>();

  constructor(
    private readonly clients: ClientAuthenticator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The calling client, or InvalidClientError (401) / InvalidRequestError. */
  async authenticate(headers: HeaderBag, body: Record<string, unknown> | undefined): Promise<RegisteredClient> {
    const presented = presentedClientCredentials(headers, body);
    if (presented.method === 'none') throw new InvalidClientError('client authentication required', true);
    if (presented.method === 'private_key_jwt') return this.clients.authenticatePresented(presented);
    const key = cacheKey(presented.clientId, presented.clientSecret);
    const now = this.clock();
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.until > now && hit.client.tokenEndpointAuthMethod === presented.method) {
      return hit.client;
    }
    if (hit !== undefined) this.cache.delete(key);
    const client = await this.clients.authenticatePresented(presented);
    this.cache.set(key, { client, until: now + CALLER_CACHE_TTL_MS });
    if (this.cache.size > CALLER_CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return client;
  }
}

// Length-prefixed so that no (id, secret) pair collides with another; the secret itself is never kept.
function cacheKey(clientId: string, secret: string): string {
  return createHash('sha256').update(`${clientId.length}:${clientId}:${secret}`, 'utf8').digest('base64url');
}
