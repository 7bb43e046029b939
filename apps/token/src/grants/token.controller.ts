import { OAuthErrorFilter } from '@tessera/platform';
import { Body, Controller, Header, Headers, HttpCode, Post, UseFilters } from '@nestjs/common';
import type { HeaderBag } from '@tessera/oauth';
import type { IssuedTokens } from '../tokens/token-issuer.service';
import { formBody } from './token-params';
import { TokenEndpoint } from './token-endpoint.service';

/** `POST /oauth/token` (RFC 6749 §3.2); responses are never cached (§5.1). */
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class TokenController {
  constructor(private readonly endpoint: TokenEndpoint) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Headers() headers: HeaderBag, @Body() body: unknown): Promise<IssuedTokens> {
    return this.endpoint.handle(headers, formBody(headers, body));
  }
}
