import { Body, Controller, Headers, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import type { HeaderBag } from '@tessera/oauth';
import { OAuthErrorFilter } from '@tessera/platform';
import { IntrospectionCallerAuthenticator } from './introspection-caller.authenticator';
import { parseIntrospectionForm, requiredToken } from './introspection-request';
import type { IntrospectionResponse } from './introspection-response';
import { INTROSPECTION_JWT_TYPE, IntrospectionService } from './introspection.service';

type Reply = { header(name: string, value: string): unknown };

/** RFC 9701 §4: the caller asks for a JWT answer with this Accept media type. */
function wantsJwt(accept: string | string[] | undefined): boolean {
  return [accept ?? ''].flat().some((a) => a.toLowerCase().includes(`application/${INTROSPECTION_JWT_TYPE}`));
}

/** `POST /oauth/introspect` (RFC 7662 §2, RFC 9701): authenticated callers only, `no-store` always. */
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class IntrospectionController {
  constructor(
    private readonly callers: IntrospectionCallerAuthenticator,
    private readonly introspection: IntrospectionService,
  ) {}

  @Post('introspect')
  @HttpCode(200)
  async introspect(
    @Headers() headers: HeaderBag,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<IntrospectionResponse | string> {
    // RFC 7662 §4: responses carry token facts; no cache may keep them.
    reply.header('Cache-Control', 'no-store');
    reply.header('Pragma', 'no-cache');
    const form = parseIntrospectionForm(headers, body);
    const caller = await this.callers.authenticate(headers, form);
    const answer = await this.introspection.answer(requiredToken(form), caller);
    if (!wantsJwt(headers.accept)) return answer;
    reply.header('Content-Type', `application/${INTROSPECTION_JWT_TYPE}`);
    return this.introspection.signed(answer, caller.clientId);
  }
}
