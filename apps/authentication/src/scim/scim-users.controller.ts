import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@tessera/platform';
import type { CommandMeta } from '../users/user.decider';
import { etagOf, versionFromIfMatch } from './scim-user.resource';
import { ScimErrorFilter } from './scim-error.filter';
import { type ScimListQuery, type ScimUserAnswer, ScimUsersService } from './scim-users.service';
import { ScimError } from './scim.error';
import { SCIM_CONTENT_TYPE } from './scim.schemas';

interface Reply {
  header(name: string, value: string): unknown;
}

/** Who a SCIM command comes from: the administrator's client (the admin token names no one more precise). */
function meta(): CommandMeta {
  return { now: new Date(), actor: 'service:scim' };
}

/** RFC 7644 §3.14: the version an If-Match asks for; one we never issued cannot match (412). */
function ifMatch(header: string | string[] | undefined): number | undefined {
  const version = versionFromIfMatch(header);
  if (version === null) throw new ScimError(412, undefined, 'If-Match does not name a version of this resource');
  return version;
}

function send(reply: Reply, answer: ScimUserAnswer): Record<string, unknown> {
  reply.header('Content-Type', SCIM_CONTENT_TYPE);
  reply.header('Location', answer.location);
  reply.header('ETag', etagOf(answer.version));
  return answer.resource;
}

/** SCIM 2.0 Users (RFC 7644 §3) with the admin token (DESIGN §9). */
@Controller('scim/v2/Users')
@UseGuards(AdminTokenGuard)
@UseFilters(ScimErrorFilter)
export class ScimUsersController {
  constructor(private readonly scim: ScimUsersService) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: Reply) {
    return send(reply, await this.scim.create(body, meta()));
  }

  @Get()
  async list(@Query() query: ScimListQuery, @Res({ passthrough: true }) reply: Reply) {
    reply.header('Content-Type', SCIM_CONTENT_TYPE);
    return this.scim.list(query);
  }

  @Get(':id')
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: Reply) {
    return send(reply, await this.scim.get(id));
  }

  @Put(':id')
  async replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return send(reply, await this.scim.replace(id, body, meta(), ifMatch(match)));
  }

  @Patch(':id')
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return send(reply, await this.scim.patch(id, body, meta(), ifMatch(match)));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @Headers('if-match') match: string | undefined): Promise<void> {
    await this.scim.delete(id, meta(), ifMatch(match));
  }
}
