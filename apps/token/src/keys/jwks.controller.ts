import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { SigningKeys } from '@tessera/keys';
import type { FastifyReply } from 'fastify';
import { SIGNING_KEY_SETTINGS, type SigningKeySettings } from './signing-key.settings';

/** RFC 7517 §5 JWK Set: every published, non-retired public key of every signing service (DESIGN §5). */
@Controller()
export class JwksController {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(SIGNING_KEY_SETTINGS) private readonly settings: SigningKeySettings,
  ) {}

  @Get('jwks')
  @Header('Content-Type', 'application/jwk-set+json')
  async jwks(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ keys: object[] }> {
    reply.header('Cache-Control', `public, max-age=${this.settings.jwksMaxAgeSeconds}`);
    return { keys: (await this.keys.published()).map((k) => k.publicJwk) };
  }
}
