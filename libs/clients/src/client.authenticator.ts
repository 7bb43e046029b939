import { Inject, Injectable } from '@nestjs/common';
import {
  type HeaderBag,
  InvalidClientError,
  type PresentedClientCredentials,
  presentedClientCredentials,
} from '@tessera/oauth';
import { decodeJwt } from 'jose';
import { ClientAssertionVerifier } from './client-assertion.verifier';
import { ClientDirectory, type VersionedClient } from './client.directory';
import { CLIENT_SECRET_CHECK, type ClientSecretCheck } from './client-secret-check';
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
    @Inject(CLIENT_SECRET_CHECK) private readonly secrets: ClientSecretCheck,
    private readonly assertions: ClientAssertionVerifier,
  ) {}

  /** The authenticated client, or InvalidClientError / InvalidRequestError. */
  async authenticate(headers: HeaderBag, body: Record<string, unknown> | undefined): Promise<RegisteredClient> {
    return this.authenticatePresented(presentedClientCredentials(headers, body));
  }

  /** The same, for credentials the caller already extracted (e.g. to look them up in a cache first). */
  async authenticatePresented(presented: PresentedClientCredentials): Promise<RegisteredClient> {
    if (presented.method === 'private_key_jwt') {
      return (await this.authenticateAssertion(presented.clientId, presented.clientAssertion)).client;
    }
    const basic = presented.method === 'client_secret_basic';
    const failure = () => new InvalidClientError('client authentication failed', basic);
    if (presented.method === 'none') {
      const client = await this.directory.get(presented.clientId);
      if (client === null || client.tokenEndpointAuthMethod !== 'none') throw failure();
      return client;
    }
    // The secret's row goes with the client's delete in one transaction, so a deleted client fails at once.
    const [matches, client] = await Promise.all([
      this.secrets.matches(presented.clientId, presented.clientSecret),
      this.directory.get(presented.clientId),
    ]);
    if (!matches || client === null || client.tokenEndpointAuthMethod !== presented.method) throw failure();
    return client;
  }

  /** private_key_jwt (RFC 7523 §2.2): the client and the version of its stream the assertion was checked against. */
  async authenticateAssertionPresented(
    presented: Extract<PresentedClientCredentials, { method: 'private_key_jwt' }>,
  ): Promise<VersionedClient> {
    return this.authenticateAssertion(presented.clientId, presented.clientAssertion);
  }

  // RFC 7523 §3: without client_id, the assertion's (still unverified) `sub` names the client to look up;
  // the verifier then requires iss = sub = that client's id.
  private async authenticateAssertion(clientId: string | undefined, assertion: string): Promise<VersionedClient> {
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
    const found = await this.directory.find(id);
    if (found === null || found.client.tokenEndpointAuthMethod !== 'private_key_jwt') throw failure();
    await this.assertions.verify(found.client, assertion);
    return found;
  }
}
