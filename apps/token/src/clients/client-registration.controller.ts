import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AdminTokenGuard, bearerToken, OAuthErrorFilter } from '@tessera/platform';
import type { CommandMeta } from './client.decider';
import { type ClientInformation, ClientRegistrationService } from './client-registration.service';

type Reply = { header(name: string, value: string): unknown };

function noStore(reply: Reply): void {
  // RFC 7591 §3.2.1: responses with secrets must not be cached.
  reply.header('Cache-Control', 'no-store');
  reply.header('Pragma', 'no-cache');
}

function meta(actor: string): CommandMeta {
  return { now: new Date(), actor, correlationId: randomUUID() };
}

/** RFC 7591 registration endpoint and RFC 7592 client configuration endpoint. */
@Controller('oauth/register')
@UseFilters(OAuthErrorFilter)
export class ClientRegistrationController {
  constructor(private readonly clients: ClientRegistrationService) {}

  /** RFC 7591 §3: the admin token is the initial access token. */
  @Post()
  @UseGuards(AdminTokenGuard)
  @HttpCode(201)
  register(@Body() body: unknown, @Res({ passthrough: true }) reply: Reply): Promise<ClientInformation> {
    noStore(reply);
    return this.clients.register(body, meta('service:admin'));
  }

  /** RFC 7592 §2.1 */
  @Get(':clientId')
  read(
    @Param('clientId') clientId: string,
    @Headers('authorization') auth: string | undefined,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<ClientInformation> {
    noStore(reply);
    return this.clients.read(clientId, bearerToken(auth));
  }

  /** RFC 7592 §2.2 */
  @Put(':clientId')
  update(
    @Param('clientId') clientId: string,
    @Headers('authorization') auth: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<ClientInformation> {
    noStore(reply);
    return this.clients.update(clientId, bearerToken(auth), body, meta(`client:${clientId}`));
  }

  /** RFC 7592 §2.3: 204 on success. */
  @Delete(':clientId')
  @HttpCode(204)
  async remove(@Param('clientId') clientId: string, @Headers('authorization') auth: string | undefined): Promise<void> {
    await this.clients.delete(clientId, bearerToken(auth), meta(`client:${clientId}`));
  }
}
