import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseFilters, UseGuards } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AdminTokenGuard, OAuthErrorFilter } from '@tessera/platform';
import type { CommandMeta } from '../clients/client.decider';
import { ScopeCatalog, type ScopeDefinition } from './scope.catalog';
import { ScopeService } from './scope.service';

function meta(): CommandMeta {
  return { now: new Date(), actor: 'service:admin', correlationId: randomUUID() };
}

/** `/admin/scopes` (issue 3 §2), admin token only. */
@Controller('admin/scopes')
@UseGuards(AdminTokenGuard)
@UseFilters(OAuthErrorFilter)
export class ScopeController {
  constructor(
    private readonly scopes: ScopeService,
    private readonly catalog: ScopeCatalog,
  ) {}

  @Get()
  async list(): Promise<{ scopes: ScopeDefinition[] }> {
    return { scopes: await this.catalog.list() };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<ScopeDefinition> {
    return this.scopes.get(name);
  }

  @Put(':name')
  define(@Param('name') name: string, @Body() body: unknown): Promise<ScopeDefinition> {
    return this.scopes.define(name, body, meta());
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string): Promise<void> {
    await this.scopes.delete(name, meta());
  }
}
