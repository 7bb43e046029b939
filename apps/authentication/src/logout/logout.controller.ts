import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { SESSION_COOKIE } from '@tessera/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor, csrfValid } from '../login/csrf';
import { field } from '../login/form-fields';
import { escapeHtml, renderPage, seeOther, sendErrorPage, sendPage } from '../login/html-page';
import { AUTH_CLOCK } from '../sessions/auth-ports';
import { CookiePolicy } from '../sessions/cookie-policy';
import { readCookie, serializeCookie } from '../sessions/cookies';
import { SessionService } from '../sessions/session.service';
import { type LogoutRequest, LogoutService } from './logout.service';

function logoutRequest(source: unknown): LogoutRequest {
  const idTokenHint = field(source, 'id_token_hint');
  const postLogoutRedirectUri = field(source, 'post_logout_redirect_uri');
  const state = field(source, 'state');
  const clientId = field(source, 'client_id');
  return {
    ...(idTokenHint ? { idTokenHint } : {}),
    ...(postLogoutRedirectUri ? { postLogoutRedirectUri } : {}),
    ...(state ? { state } : {}),
    ...(clientId ? { clientId } : {}),
  };
}

/** `/logout`: OIDC RP-Initiated Logout 1.0 (`end_session_endpoint`), GET and POST (§2). */
@Controller('logout')
export class LogoutController {
  constructor(
    private readonly logout: LogoutService,
    private readonly sessions: SessionService,
    private readonly cookies: CookiePolicy,
    @Inject(AUTH_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  async logoutGet(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(req, reply, logoutRequest(req.query), false);
  }

  @Post()
  async logoutPost(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const request = logoutRequest(body);
    if (readCookie(req.headers.cookie, SESSION_COOKIE) === undefined) {
      // A cross-site POST (§2) does not carry the SameSite=Lax session cookie: answer with a
      // top-level GET of the same request, which does, so the session is really ended.
      const query = new URLSearchParams(snake(request)).toString();
      return seeOther(reply, query ? `/logout?${query}` : '/logout');
    }
    // The confirmation form posts a CSRF token; an RP's own POST (§2) carries an id_token_hint instead.
    await this.handle(req, reply, request, csrfValid(req.headers.cookie, field(body, 'csrf')));
  }

  private async handle(req: FastifyRequest, reply: FastifyReply, request: LogoutRequest, userConfirmed: boolean) {
    const now = this.clock();
    const session = await this.sessions.current(readCookie(req.headers.cookie, SESSION_COOKIE), now);
    const plan = await this.logout.plan(request, session);
    if (plan.error) return sendErrorPage(reply, 400, plan.error);
    if (session !== null && !plan.confirmed && !userConfirmed) {
      // §2: without a hint naming this user, ask the user (a cross-site GET must not sign them out).
      const csrf = csrfTokenFor(req.headers.cookie, this.cookies.secure);
      if (csrf.setCookie) void reply.header('Set-Cookie', csrf.setCookie);
      const hidden = Object.entries({ ...snake(request), csrf: csrf.token })
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
        .join('');
      return sendPage(
        reply,
        200,
        renderPage(
          'Sign out',
          `<form method="post" action="/logout">${hidden}<p>Do you want to sign out?</p><button type="submit">Sign out</button></form>`,
        ),
        plan.redirectTo ? [plan.redirectTo] : [],
      );
    }
    if (session !== null) await this.logout.end(session, now);
    void reply.header('Set-Cookie', serializeCookie(SESSION_COOKIE, '', this.cookies.options(0)));
    if (plan.redirectTo) return seeOther(reply, plan.redirectTo);
    sendPage(reply, 200, renderPage('Signed out', '<p>You are signed out.</p>'));
  }
}

function snake(r: LogoutRequest): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.idTokenHint) out.id_token_hint = r.idTokenHint;
  if (r.postLogoutRedirectUri) out.post_logout_redirect_uri = r.postLogoutRedirectUri;
  if (r.state) out.state = r.state;
  if (r.clientId) out.client_id = r.clientId;
  return out;
}
