import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { SESSION_COOKIE } from '@tessera/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizationRequestRepository } from '../authorize/authorization-request.repository';
import { AUTH_CLOCK } from '../sessions/auth-ports';
import { readCookie, serializeCookie } from '../sessions/cookies';
import { SessionService } from '../sessions/session.service';
import { CookiePolicy } from '../sessions/cookie-policy';
import { csrfTokenFor, csrfValid } from './csrf';
import { afterLogin, field, safeNext } from './form-fields';
import { seeOther, sendErrorPage, sendPage } from './html-page';
import { type FlowFields, passwordPage, totpPage } from './login.pages';
import { LoginService } from './login.service';
import { PENDING_LOGIN_COOKIE, PENDING_LOGIN_TTL_MS, PendingLoginSealer } from './pending-login';

const FAILED = 'Invalid user name or password.';
const LOCKED = 'Too many failed attempts. Please wait a few minutes and try again.';
const CODE_FAILED = 'That code is not valid.';
const ERRORS: Record<string, string> = { invalid: FAILED, locked: LOCKED, code: CODE_FAILED };

/** The message of an `error` query value; own keys only (`constructor`, `__proto__`… are not messages). */
export function errorMessage(error: string | undefined): string | undefined {
  return typeof error === 'string' && Object.hasOwn(ERRORS, error) ? ERRORS[error] : undefined;
}

/** `/login` and `/login/totp` (issue 5 §3): server-rendered forms, POST → 303. */
@Controller('login')
export class LoginController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly requests: AuthorizationRequestRepository,
    private readonly sealer: PendingLoginSealer,
    private readonly cookies: CookiePolicy,
    @Inject(AUTH_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  async passwordForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('request') request?: string,
    @Query('next') next?: string,
    @Query('error') error?: string,
  ): Promise<void> {
    const flow = await this.flow(req, reply, request, next);
    const pending = flow.request ? await this.requests.get(flow.request) : null;
    sendPage(reply, 200, passwordPage(flow, errorMessage(error)), pending ? [pending.redirectUri] : []);
  }

  @Post()
  async password(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    if (!csrfValid(req.headers.cookie, field(body, 'csrf'))) return this.csrfFailure(reply);
    const request = field(body, 'request');
    const next = safeNext(field(body, 'next'));
    const now = this.clock();
    const outcome = await this.login.password(
      field(body, 'username') ?? '',
      field(body, 'password') ?? '',
      req.ip,
      now,
    );
    switch (outcome.kind) {
      case 'locked':
      case 'failed':
        return seeOther(reply, this.loginUrl(request, next, outcome.kind === 'locked' ? 'locked' : 'invalid'));
      case 'second-factor': {
        const sealed = this.sealer.seal({
          sub: outcome.sub,
          account: outcome.account,
          pwdAt: now.getTime(),
          ...(request ? { request } : {}),
          ...(next ? { next } : {}),
          exp: now.getTime() + PENDING_LOGIN_TTL_MS,
        });
        void reply.header(
          'Set-Cookie',
          serializeCookie(PENDING_LOGIN_COOKIE, sealed, this.cookies.options(PENDING_LOGIN_TTL_MS / 1000)),
        );
        return seeOther(reply, '/login/totp');
      }
      case 'authenticated':
        await this.signIn(req, reply, outcome.auth);
        return seeOther(reply, afterLogin(request, next));
    }
  }

  @Get('totp')
  async totpForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('error') error?: string,
  ): Promise<void> {
    const pending = this.sealer.open(readCookie(req.headers.cookie, PENDING_LOGIN_COOKIE), this.clock());
    if (pending === null) return seeOther(reply, '/login');
    const flow = await this.flow(req, reply, undefined, undefined);
    const request = pending.request ? await this.requests.get(pending.request) : null;
    sendPage(reply, 200, totpPage(flow, errorMessage(error)), request ? [request.redirectUri] : []);
  }

  @Post('totp')
  async totp(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    if (!csrfValid(req.headers.cookie, field(body, 'csrf'))) return this.csrfFailure(reply);
    const now = this.clock();
    const pending = this.sealer.open(readCookie(req.headers.cookie, PENDING_LOGIN_COOKIE), now);
    if (pending === null) return seeOther(reply, '/login');
    const code = field(body, 'code');
    const recoveryCode = field(body, 'recovery_code');
    const outcome = await this.login.secondFactor(
      pending,
      { ...(code ? { code } : {}), ...(recoveryCode ? { recoveryCode } : {}) },
      req.ip,
      now,
    );
    if (outcome.kind === 'locked') {
      void reply.header('Set-Cookie', serializeCookie(PENDING_LOGIN_COOKIE, '', this.cookies.options(0)));
      return seeOther(reply, this.loginUrl(pending.request, pending.next, 'locked'));
    }
    if (outcome.kind === 'failed') return seeOther(reply, '/login/totp?error=code');
    void reply.header('Set-Cookie', serializeCookie(PENDING_LOGIN_COOKIE, '', this.cookies.options(0)));
    await this.signIn(req, reply, outcome.auth);
    return seeOther(reply, afterLogin(pending.request, pending.next));
  }

  private async signIn(
    req: FastifyRequest,
    reply: FastifyReply,
    auth: Parameters<SessionService['start']>[0],
  ): Promise<void> {
    // A new sign-in replaces the browser's session: the previous one is ended, not left live (session fixation).
    const previous = await this.sessions.current(readCookie(req.headers.cookie, SESSION_COOKIE), auth.at);
    if (previous !== null) await this.sessions.end(previous, auth.at, `user:${previous.sub}`);
    const { value } = await this.sessions.start(auth);
    void reply.header('Set-Cookie', serializeCookie(SESSION_COOKIE, value, this.cookies.options()));
  }

  private async flow(
    req: FastifyRequest,
    reply: FastifyReply,
    request: string | undefined,
    next: string | undefined,
  ): Promise<FlowFields> {
    const csrf = csrfTokenFor(req.headers.cookie, this.cookies.secure);
    if (csrf.setCookie) void reply.header('Set-Cookie', csrf.setCookie);
    const safe = safeNext(next);
    return {
      csrf: csrf.token,
      ...(request && /^[A-Za-z0-9_-]{1,64}$/.test(request) ? { request } : {}),
      ...(safe ? { next: safe } : {}),
    };
  }

  private loginUrl(request: string | undefined, next: string | undefined, error: string): string {
    const q = new URLSearchParams();
    if (request) q.set('request', request);
    if (next) q.set('next', next);
    q.set('error', error);
    return `/login?${q.toString()}`;
  }

  private csrfFailure(reply: FastifyReply): void {
    sendErrorPage(reply, 403, 'The form expired or was sent from another site. Please go back and try again.');
  }
}
