import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type HeaderBag, UnauthorizedClientError, UnsupportedGrantTypeError } from '@tessera/oauth';
import { ClientAuthenticator } from '../clients/client.authenticator';
import type { IssuedTokens } from '../tokens/token-issuer.service';
import { CLOCK } from '../tokens/token-ports';
import { GRANTS, type Grant } from './grant';
import { parseFormParams, required } from './token-params';

/**
 * The token endpoint's processing rules (RFC 6749 §3.2, §5), as named steps:
 * parse the form, know the grant type, authenticate the client, check the
 * client may use the grant, then hand over to the grant.
 */
@Injectable()
export class TokenEndpoint {
  private readonly grants: Map<string, Grant>;

  constructor(
    @Inject(GRANTS) grants: Grant[],
    private readonly clients: ClientAuthenticator,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {
    this.grants = new Map(grants.map((g) => [g.grantType, g]));
  }

  async handle(headers: HeaderBag, body: unknown): Promise<IssuedTokens> {
    const params = parseFormParams(body ?? {});
    const grantType = required(params, 'grant_type');
    const grant = this.grants.get(grantType);
    if (!grant) throw new UnsupportedGrantTypeError(`grant_type ${grantType} is not supported`);
    const client = await this.clients.authenticate(headers, params.raw);
    if (!client.grantTypes.includes(grantType)) {
      throw new UnauthorizedClientError(`the client may not use grant_type ${grantType}`);
    }
    const meta = { now: this.clock(), actor: `client:${client.clientId}`, correlationId: correlationId(headers) };
    return grant.handle(params, client, meta);
  }
}

/** The caller's request id when it sent a sane one, else a fresh one. */
export function correlationId(headers: HeaderBag): string {
  const id = headers['x-request-id'];
  return typeof id === 'string' && /^[\w.-]{1,64}$/.test(id) ? id : randomUUID();
}
