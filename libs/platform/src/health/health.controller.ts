import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PLATFORM_RUNTIME } from '../tokens';
import type { PlatformRuntime } from '../runtime/platform-runtime';
import { aggregateReadiness, type ReadinessReport } from './readiness';

/** Liveness and readiness probes (DESIGN §1). */
@Controller('health')
export class HealthController {
  constructor(@Inject(PLATFORM_RUNTIME) private readonly runtime: PlatformRuntime) {}

  /** The process answers: nothing else is checked, so a broken dependency never restarts it. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when database, schema and projections are fine (the bus only degrades); 503 naming each failing check. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    const report = aggregateReadiness(await this.runtime.readiness());
    reply.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
