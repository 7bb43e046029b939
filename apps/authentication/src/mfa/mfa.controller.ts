import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { SESSION_COOKIE } from '@tessera/contracts';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toDataURL } from 'qrcode';
import { csrfTokenFor, csrfValid } from '../login/csrf';
import { field } from '../login/form-fields';
import { seeOther, sendErrorPage, sendPage } from '../login/html-page';
import { AUTH_CLOCK } from '../sessions/auth-ports';
import { CookiePolicy } from '../sessions/cookie-policy';
import { readCookie } from '../sessions/cookies';
import { SessionService } from '../sessions/session.service';
import { UserDirectory } from '../users/user.directory';
import { enrolledPage, enrollmentPage, recoveryCodesPage } from './mfa.pages';
import { MfaService } from './mfa.service';
import { totpUri } from './totp';

const SIGN_IN = '/login?next=%2Faccount%2Fmfa';
/** Sign in again (the password, now) before changing the second factor. */
const REAUTHENTICATE = '/login?next=%2Faccount%2Fmfa&reauth=1';
/** How recent the sign-in must be to enroll a second factor (OWASP ASVS 2.x: re-authenticate before changing authenticators). */
export const MFA_REAUTH_MAX_AGE_MS = 5 * 60 * 1000;

/** True when the session's sign-in is too old to change authenticators at `now`. */
export function needsReauthentication(authTime: string, now: Date): boolean {
  const at = Date.parse(authTime);
  return !Number.isFinite(at) || now.getTime() - at > MFA_REAUTH_MAX_AGE_MS;
}

/** `/account/mfa` (issue 5 §4): TOTP enrollment for the signed-in user. */
@Controller('account/mfa')
export class MfaController {
  private readonly issuerName: string;

  constructor(
    private readonly mfa: MfaService,
    private readonly sessions: SessionService,
    private readonly users: UserDirectory,
    private readonly cookies: CookiePolicy,
    @Inject(CONFIG) config: TesseraConfig,
    @Inject(AUTH_CLOCK) private readonly clock: () => Date,
  ) {
    this.issuerName = config.mode === 'cli' ? 'Tessera' : new URL(config.issuer).host;
  }

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('error') error?: string): Promise<void> {
    const now = this.clock();
    const session = await this.sessions.current(readCookie(req.headers.cookie, SESSION_COOKIE), now);
    if (session === null) return seeOther(reply, SIGN_IN);
    const state = await this.mfa.state(session.sub);
    if (state.totpEnrolled) return sendPage(reply, 200, enrolledPage(state.recoveryCodeIds.length));
    if (needsReauthentication(session.authTime, now)) return seeOther(reply, REAUTHENTICATE);
    const user = await this.users.get(session.sub);
    const pending = user ? await this.mfa.beginEnrollment(session.sub) : null;
    if (user === null || pending === null)
      return sendErrorPage(reply, 409, 'Two-step verification cannot be set up now.');
    const uri = totpUri(this.issuerName, user.userName, pending.secret);
    const csrf = csrfTokenFor(req.headers.cookie, this.cookies.secure);
    if (csrf.setCookie) void reply.header('Set-Cookie', csrf.setCookie);
    const qr = await toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 200 });
    const message = error ? 'That code is not valid. Try the current one.' : undefined;
    sendPage(reply, 200, enrollmentPage(csrf.token, uri, qr, pending.secret, message));
  }

  @Post('totp')
  async confirm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const now = this.clock();
    const session = await this.sessions.current(readCookie(req.headers.cookie, SESSION_COOKIE), now);
    if (session === null) return seeOther(reply, SIGN_IN);
    if (needsReauthentication(session.authTime, now)) return seeOther(reply, REAUTHENTICATE);
    if (!csrfValid(req.headers.cookie, field(body, 'csrf'))) {
      return sendErrorPage(reply, 403, 'The form expired or was sent from another site. Please try again.');
    }
    const codes = await this.mfa.confirmEnrollment(session.sub, field(body, 'code') ?? '', now);
    if (codes === null) return seeOther(reply, '/account/mfa?error=code');
    // The codes exist only in this answer (shown once, stored hashed): an exception to "POST → 303".
    sendPage(reply, 200, recoveryCodesPage(codes));
  }
}
