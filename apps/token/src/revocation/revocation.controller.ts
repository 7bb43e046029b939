import { OAuthErrorFilter } from '@tessera/platform';
import { Body, Controller, Header, Headers, HttpCode, Inject, Post, UseFilters } from '@nestjs/common';
import type { HeaderBag } from '@tessera/oauth';
import { ClientAuthenticator } from '../clients/client.authenticator';
import { formBody, parseFormParams, required } from '../grants/token-params';
import { correlationId } from '../grants/token-endpoint.service';
import { CLOCK } from '../tokens/token-ports';
import { RevocationService } from './revocation.service';

/** `POST /oauth/revoke` (RFC 7009 §2): client authentication, then 200 whatever the token was. */
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class RevocationController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly revocation: RevocationService,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Headers() headers: HeaderBag, @Body() body: unknown): Promise<void> {
    const params = parseFormParams(formBody(headers, body));
    const token = required(params, 'token');
    const client = await this.clients.authenticate(headers, params.raw);
    const meta = { now: this.clock(), actor: `client:${client.clientId}`, correlationId: correlationId(headers) };
    await this.revocation.revoke(token, client.clientId, meta);
  }
}
