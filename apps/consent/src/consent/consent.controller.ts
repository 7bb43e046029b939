import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ClientDirectory } from '@tessera/clients';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken, csrfValid } from '../pages/csrf';
import { errorPage } from '../pages/error-page';
import { seeOther, sendPage } from '../pages/page-headers';
import { renderConsentPage } from './consent-page';
import { ConsentService } from './consent.service';
import { AuthorizationRequests } from './authorization-requests';
import { ScopeDescriptions } from './scope-descriptions';
import { SignedInUsers } from './signed-in-user';

const CSRF_PURPOSE = 'consent';
const REQUEST_EXPIRED = errorPage(
  'Request expired',
  'This sign-in request is unknown or has expired. Start again from the application.',
);

/** Where authentication resumes the authorization request (brief5 "Flow"). */
export function continueUrl(requestId: string, consent?: 'denied'): string {
  const query = new URLSearchParams({ request: requestId, ...(consent ? { consent } : {}) });
  return `/oauth/authorize/continue?${query.toString()}`;
}

function chosenScopes(body: Record<string, unknown>): string[] {
  const raw = body.scope;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((s): s is string => typeof s === 'string');
}

/**
 * The consent page (issue 5 §8): `GET /consent?request=<id>` asks the
 * signed-in user, `POST /consent` records the decision and hands the request
 * back to authentication with 303.
 */
@Controller('consent')
export class ConsentController {
  constructor(
    private readonly users: SignedInUsers,
    private readonly requests: AuthorizationRequests,
    private readonly clients: ClientDirectory,
    private readonly scopes: ScopeDescriptions,
    private readonly consents: ConsentService,
  ) {}

  @Get()
  async show(@Query('request') requestId: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const now = new Date();
    const request = await this.requests.pending(requestId, now);
    if (request === null) return sendPage(reply, 400, REQUEST_EXPIRED);
    const user = await this.users.fromCookies(req.headers.cookie, now);
    if (user === null)
      return seeOther(reply, `/login?${new URLSearchParams({ request: request.requestId }).toString()}`);
    const client = await this.clients.get(request.clientId);
    if (client === null)
      return sendPage(
        reply,
        400,
        errorPage('Unknown application', 'The application that sent you here is not registered.'),
      );
    const consent = await this.consents.current(user.sub, request.clientId);
    const body = renderConsentPage({
      requestId: request.requestId,
      csrf: csrfToken(user.sessionValue, CSRF_PURPOSE, request.requestId),
      clientId: client.clientId,
      clientName: client.clientName,
      scopes: await this.scopes.describe(request.scope.split(' ').filter((s) => s !== '')),
      granted: consent && !consent.revoked ? consent.scopes : [],
    });
    return sendPage(reply, 200, body, [request.redirectUri]);
  }

  @Post()
  async decide(
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = body ?? {};
    const now = new Date();
    const request = await this.requests.pending(form.request, now);
    if (request === null) return sendPage(reply, 400, REQUEST_EXPIRED);
    const user = await this.users.fromCookies(req.headers.cookie, now);
    if (user === null || !csrfValid(user.sessionValue, CSRF_PURPOSE, request.requestId, form.csrf)) {
      return sendPage(
        reply,
        403,
        errorPage('Not allowed', 'This form has expired or was not sent from this page. Go back and try again.'),
      );
    }
    const requested = request.scope.split(' ').filter((s) => s !== '');
    const chosen = [...new Set(chosenScopes(form))].filter((s) => requested.includes(s));
    // openid is what signing in is: always part of the grant when requested (checkbox disabled).
    if (requested.includes('openid') && !chosen.includes('openid')) chosen.push('openid');
    if (form.decision !== 'allow' || chosen.length === 0)
      return seeOther(reply, continueUrl(request.requestId, 'denied'));
    await this.consents.grant(user.sub, request.clientId, chosen, request.requestId, {
      now,
      actor: `user:${user.sub}`,
      correlationId: randomUUID(),
    });
    // Scopes left unticked are simply not granted: authentication issues the code for the granted ones.
    return seeOther(reply, continueUrl(request.requestId));
  }
}
