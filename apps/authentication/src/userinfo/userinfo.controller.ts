import { Controller, Get, Headers, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AUTH_CLOCK } from '../sessions/auth-ports';
import { UserinfoService } from './userinfo.service';

/** RFC 6750 §2.1: `Authorization: Bearer <token>` (the scheme is case-insensitive). */
function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization ?? '');
  return match?.[1];
}

/** `/userinfo` (OIDC Core §5.3): GET and POST with a Bearer access token. */
@Controller('userinfo')
export class UserinfoController {
  constructor(
    private readonly userinfo: UserinfoService,
    @Inject(AUTH_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  get(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(authorization, reply);
  }

  @Post()
  post(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(authorization, reply);
  }

  private async answer(authorization: string | undefined, reply: FastifyReply): Promise<void> {
    void reply.header('Cache-Control', 'no-store');
    const token = bearer(authorization);
    if (token === undefined) {
      // RFC 6750 §3.1: no credentials → a bare challenge, no error code.
      void reply.status(401).header('WWW-Authenticate', 'Bearer').send();
      return;
    }
    const claims = await this.userinfo.claims(token, this.clock());
    if (claims === null) {
      void reply
        .status(401)
        .header('WWW-Authenticate', 'Bearer error="invalid_token", error_description="The access token is not valid"')
        .send();
      return;
    }
    void reply.status(200).header('Content-Type', 'application/json').send(JSON.stringify(claims));
  }
}
