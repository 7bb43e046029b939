import { Readable } from 'node:stream';
import { Controller, Get, Headers, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, OAuthErrorFilter } from '@tessera/platform';
import type { FastifyReply } from 'fastify';
import type { AuditMessageData } from '@tessera/contracts';
import { parseAuditQuery } from './audit-query';
import { type AuditEventsPage, AuditEventsService } from './audit-events.service';

const NDJSON = 'application/x-ndjson';
/** An export has no page limit; `limit`, when given, caps it. */
const EXPORT_MAX = 100_000_000;

async function* lines(entries: AsyncGenerator<AuditMessageData>): AsyncGenerator<string> {
  for await (const e of entries) yield `${JSON.stringify(e)}\n`;
}

/**
 * `GET /audit/events` (issue 7 §1), admin token only: JSON pages with cursor
 * pagination, or NDJSON (`Accept: application/x-ndjson`, or `/audit/events.ndjson`)
 * streaming every matching record.
 */
@Controller('audit')
@UseGuards(AdminTokenGuard)
@UseFilters(OAuthErrorFilter)
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  // @Res() without passthrough: this handler sends, so that a stream can be the body.
  @Get('events')
  async list(
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (accept?.toLowerCase().includes(NDJSON)) return this.ndjson(query, reply);
    const page: AuditEventsPage = await this.events.page(parseAuditQuery(query));
    await reply.header('Cache-Control', 'no-store').send(page);
  }

  @Get('events.ndjson')
  exportNdjson(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    return this.ndjson(query, reply);
  }

  private async ndjson(query: Record<string, unknown>, reply: FastifyReply): Promise<void> {
    const q = parseAuditQuery(query, EXPORT_MAX);
    const stream = Readable.from(lines(this.events.export(q, query.limit === undefined ? undefined : q.limit)));
    await reply.header('Content-Type', `${NDJSON}; charset=utf-8`).header('Cache-Control', 'no-store').send(stream);
  }
}
