import { Controller, Get, Header } from '@nestjs/common';
import { DiscoveryService } from './discovery.service';
import type { ServerMetadata } from './server-metadata';

const CACHE = 'public, max-age=60';

/** OpenID Connect Discovery 1.0 §4 and RFC 8414 §3: the same document at both well-known paths. */
@Controller('.well-known')
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('openid-configuration')
  @Header('Cache-Control', CACHE)
  openidConfiguration(): Promise<ServerMetadata> {
    return this.discovery.metadata();
  }

  @Get('oauth-authorization-server')
  @Header('Cache-Control', CACHE)
  authorizationServer(): Promise<ServerMetadata> {
    return this.discovery.metadata();
  }
}
