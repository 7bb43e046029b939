import { Injectable } from '@nestjs/common';
import { type HeaderBag, InvalidClientError, presentedClientCredentials } from '@tessera/oauth';
import { decodeJwt } from 'jose';
import { ClientAssertionVerifier } from './client-assertion.verifier';
import { ClientDirectory } from './client.directory';
import { ClientSecretStore } from './client-secret.store';
import { DUMMY_SECRET_HASH, secretMatches } from './client-credentials.crypto';
import type { RegisteredClient } from './registered-client';

/**
 * Authenticates the client of a token-endpoint request (RFC 6749 §2.3):
 * client_secret_basic, client_secret_post, private_key_jwt (RFC 7523 §2.2) or
 * none, exactly one per request, and the one the client registered. An unknown
 * client and a wrong secret fail identically and with the same work (issue 3:
 * same timing); a bad assertion fails with the very same error.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly secrets: ClientSecretStore,
    private readonly assertions: ClientAssertionVerifier,
  ) {}

  /** The authenticated client, or InvalidClientError / InvalidRequestError. */
  async authenticate(headers: HeaderBag, body: Record<string, unknown> | undefined): Promise<RegisteredClient> {
    const presented = presentedClientCredentials(headers, body);
    if (presented.method === 'private_key_jwt') {
      return this.authenticateAssertion(presented.clientId, presented.clientAssertion);
    }
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

  // RFC 7523 §3: without client_id, the assertion's (still unverified) `sub` names the client to look up;
  // the verifier then requires iss = sub = that client's id.
  private async authenticateAssertion(clientId: string | undefined, assertion: string): Promise<RegisteredClient> {
    const failure = () => new InvalidClientError('client authentication failed');
    let id = clientId;
    if (id === undefined) {
      try {
        const sub = decodeJwt(assertion).sub;
        id = typeof sub === 'string' && sub.length > 0 ? sub : undefined;
      } catch {
        id = undefined;
      }
    }
    if (id === undefined) throw failure();
    const client = await this.directory.get(id);
    if (client === null || client.tokenEndpointAuthMethod !== 'private_key_jwt') throw failure();
    await this.assertions.verify(client, assertion);
    return client;
  }
}
