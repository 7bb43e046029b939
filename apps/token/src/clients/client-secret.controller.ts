import { Controller, HttpCode, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AdminTokenGuard, OAuthErrorFilter } from '@tessera/platform';
import { ClientRegistrationService } from './client-registration.service';

type Reply = { header(name: string, value: string): unknown };

/** What a secret rotation answers: the new secret, shown this once (issue 3 §1). */
export interface RotatedSecret {
  client_id: string;
  client_secret: string;
  client_secret_expires_at: 0;
}

/** `POST /admin/clients/:clientId/secret` (admin token): rotates a confidential client's secret. */
@Controller('admin/clients')
@UseGuards(AdminTokenGuard)
@UseFilters(OAuthErrorFilter)
export class ClientSecretController {
  constructor(private readonly clients: ClientRegistrationService) {}

  /** The old secret stops working when this returns (same transaction as the `client.secret-rotated` event). */
  @Post(':clientId/secret')
  @HttpCode(201)
  async rotate(@Param('clientId') clientId: string, @Res({ passthrough: true }) reply: Reply): Promise<RotatedSecret> {
    // RFC 7591 §3.2.1 by analogy: a response carrying a secret must not be cached.
    reply.header('Cache-Control', 'no-store');
    reply.header('Pragma', 'no-cache');
    const meta = { now: new Date(), actor: 'service:admin', correlationId: randomUUID() };
    const secret = await this.clients.rotateSecret(clientId, meta);
    return { client_id: clientId, client_secret: secret, client_secret_expires_at: 0 };
  }
}
