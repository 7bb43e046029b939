import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignedInUsers } from '../consent/signed-in-user';
import { ConsentService } from '../consent/consent.service';
import { csrfToken, csrfValid } from '../pages/csrf';
import { errorPage } from '../pages/error-page';
import { PAGE_HEADERS, seeOther, sendPage } from '../pages/page-headers';
import { renderConsentsPage } from './consents-page';
import { UserConsents } from './user-consents';

const CSRF_PURPOSE = 'revoke-consent';
const SIGN_IN_FIRST = errorPage('Sign in first', 'Sign in to see the applications you allowed.');

/** `/consents` (issue 5 §8): the signed-in user lists and revokes their consents. */
@Controller('consents')
export class ConsentsController {
  constructor(
    private readonly users: SignedInUsers,
    private readonly list: UserConsents,
    private readonly consents: ConsentService,
  ) {}

  @Get()
  async index(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const user = await this.users.fromCookies(req.headers.cookie, new Date());
    const wantsJson = /\bapplication\/json\b/.test(req.headers.accept ?? '');
    if (user === null) {
      if (wantsJson) return void reply.status(401).headers(PAGE_HEADERS).send({ error: 'login_required' });
      return sendPage(reply, 401, SIGN_IN_FIRST);
    }
    const items = await this.list.of(user.sub);
    if (wantsJson) {
      return void reply
        .status(200)
        .headers(PAGE_HEADERS)
        .send({
          consents: items.map((c) => ({
            consent_id: c.consentId,
            client_id: c.clientId,
            ...(c.clientName !== undefined ? { client_name: c.clientName } : {}),
            scopes: c.scopes,
            granted_at: c.grantedAt,
          })),
        });
    }
    const withCsrf = items.map((c) => ({ ...c, csrf: csrfToken(user.sessionValue, CSRF_PURPOSE, c.consentId) }));
    return sendPage(reply, 200, renderConsentsPage(withCsrf));
  }

  @Post(':consentId/revoke')
  async revoke(
    @Param('consentId') consentId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const now = new Date();
    const user = await this.users.fromCookies(req.headers.cookie, now);
    if (user === null) return sendPage(reply, 401, SIGN_IN_FIRST);
    if (!csrfValid(user.sessionValue, CSRF_PURPOSE, consentId, body?.csrf)) {
      return sendPage(
        reply,
        403,
        errorPage('Not allowed', 'This form has expired or was not sent from this page. Go back and try again.'),
      );
    }
    await this.consents.revoke(user.sub, consentId, { now, actor: `user:${user.sub}`, correlationId: randomUUID() });
    return seeOther(reply, '/consents');
  }
}
