import { All, Controller, Headers, Inject, Res } from '@nestjs/common';
import type { HeaderBag } from '@tessera/oauth';
import { LOGGER } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import type { FastifyReply } from 'fastify';
import type { Counter } from 'prom-client';
import { GATEWAY_SECRET, type GatewaySecret } from './gateway-secret';
import { PHANTOM_DECISIONS } from './phantom-token.metrics';
import { PhantomTokenService } from './phantom-token.service';
import { PHANTOM_TOKEN_SETTINGS, type PhantomTokenSettings } from './phantom-token.settings';

/**
 * `/gateway/phantom`, the target of nginx `auth_request` (issue 4 §3). Any
 * method (the subrequest may keep the client's), no body. 200 with the JWT in
 * `Authorization: Bearer` for `auth_request_set` / ingress-nginx
 * `auth-response-headers`, or 401 with the RFC 6750 §3 challenge, which
 * nginx passes on to the client. Only the gateway may call it: without the
 * `X-Tessera-Gateway-Secret` header equal to `TESSERA_GATEWAY_SECRET` the answer
 * is a plain 403 (and deploy/nginx keeps the path internal besides).
 */
@Controller('gateway')
export class PhantomTokenController {
  constructor(
    private readonly phantom: PhantomTokenService,
    @Inject(PHANTOM_TOKEN_SETTINGS) private readonly settings: PhantomTokenSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PHANTOM_DECISIONS) private readonly decisions: Counter<'outcome'>,
    @Inject(GATEWAY_SECRET) private readonly gatewaySecret: GatewaySecret,
  ) {}

  @All('phantom')
  async phantomToken(@Headers() headers: HeaderBag, @Res() reply: FastifyReply): Promise<void> {
    reply.header('Cache-Control', 'no-store');
    if (!this.gatewaySecret.accepts(headers[this.settings.gatewaySecretHeader])) {
      // Not the gateway: no token is looked at, nothing is minted.
      this.decisions.inc({ outcome: 'not_gateway' });
      reply.status(403).type('text/plain; charset=utf-8').send('Forbidden');
      return;
    }
    const audience = headers[this.settings.audienceHeader];
    const decision = await this.phantom.decide({
      authorization: headers['authorization'],
      // Node joins a repeated header into one string; only set-cookie is ever an array.
      audience: typeof audience === 'string' ? audience : undefined,
    });
    this.decisions.inc({ outcome: decision.allowed ? (decision.reused ? 'reused' : 'minted') : decision.reason });
    if (decision.allowed) {
      reply.status(200).header('Authorization', `Bearer ${decision.jwt}`).send();
      return;
    }
    // The reason only: never the token (STYLE, DESIGN §2).
    this.logger.debug({ reason: decision.reason }, 'phantom token refused');
    reply.status(401).header('WWW-Authenticate', decision.challenge).send();
  }
}
