import { Injectable } from '@nestjs/common';
import { type HeaderBag, InvalidClientError, presentedClientCredentials } from '@tessera/oauth';
import { ClientDirectory } from './client.directory';
import { ClientSecretStore } from './client-secret.store';
import { DUMMY_SECRET_HASH, secretMatches } from './client-credentials.crypto';
import type { RegisteredClient } from './registered-client';

/**
 * Authenticates the client of a token-endpoint request (RFC 6749 §2.3):
 * client_secret_basic, client_secret_post or none, exactly one per request,
 * and the one the client registered. An unknown client and a wrong secret
 * fail identically and with the same work (issue 3: same timing).
 * private_key_jwt is not implemented yet (registration rejects it).
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly secrets: ClientSecretStore,
  ) {}

  /** The authenticated client, or InvalidClientError / InvalidRequestError. */
  async authenticate(headers: HeaderBag, body: Record<string, unknown> | undefined): Promise<RegisteredClient> {
    const presented = presentedClientCredentials(headers, body);
    const basic = presented.method === 'client_secret_basic';
    const failure = () => new InvalidClientError('client authentication failed', basic);
    const [row, client] = await Promise.all([
      this.secrets.get(presented.clientId),
      this.directory.get(presented.clientId),
    ]);
    // The row goes with the client's delete in one transaction, so a deleted client fails here at once.
    const known = row !== null && client !== null;
    if (presented.method === 'none') {
      if (!known || client.tokenEndpointAuthMethod !== 'none') throw failure();
      return client;
    }
    const hash = known && row.secretHash !== null ? row.secretHash : DUMMY_SECRET_HASH;
    const matches = secretMatches(presented.clientSecret, hash);
    if (!known || !matches || client.tokenEndpointAuthMethod !== presented.method) throw failure();
    return client;
  }
}
