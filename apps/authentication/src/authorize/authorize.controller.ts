import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { SESSION_COOKIE } from '@tessera/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { seeOther, sendErrorPage } from '../login/html-page';
import { AUTH_CLOCK } from '../sessions/auth-ports';
import { readCookie } from '../sessions/cookies';
import type { AuthorizeParams } from './authorization-request.validator';
import { type AuthorizeAnswer, AuthorizeService } from './authorize.service';

/** `/oauth/authorize` (RFC 6749 §3.1, OIDC Core §3.1.2.1: GET and POST) and its continuation. */
@Controller('oauth/authorize')
export class AuthorizeController {
  constructor(
    private readonly authorizeService: AuthorizeService,
    @Inject(AUTH_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  async authorizeGet(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const params = (req.query ?? {}) as AuthorizeParams;
    this.answer(reply, await this.authorizeService.authorize(params, this.session(req), this.clock()));
  }

  @Post()
  async authorizePost(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const params = (typeof body === 'object' && body !== null ? body : {}) as AuthorizeParams;
    this.answer(reply, await this.authorizeService.authorize(params, this.session(req), this.clock()));
  }

  @Get('continue')
  async continue(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('request') request?: string,
    @Query('consent') consent?: string,
  ): Promise<void> {
    const denied = consent === 'denied';
    this.answer(reply, await this.authorizeService.continue(request, this.session(req), this.clock(), denied));
  }

  private session(req: FastifyRequest): string | undefined {
    return readCookie(req.headers.cookie, SESSION_COOKIE);
  }

  private answer(reply: FastifyReply, answer: AuthorizeAnswer): void {
    if (answer.kind === 'page') return sendErrorPage(reply, answer.status, answer.message);
    seeOther(reply, answer.location);
  }
}
