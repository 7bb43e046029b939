import { Controller, Get, Header, Inject, UseFilters, UseGuards } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { AdminTokenGuard, DATABASE, EVENT_STORE, OAuthErrorFilter } from '@tessera/platform';
import { AUDIT_SETTINGS, type AuditSettings } from '../audit.settings';
import { type IntegrityReport, verifyAuditChain } from './audit-integrity';

/** `GET /audit/integrity` (issue 7 §1), admin token only: verifies the chain and its signed checkpoints. */
@Controller('audit')
@UseGuards(AdminTokenGuard)
@UseFilters(OAuthErrorFilter)
export class AuditIntegrityController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  @Get('integrity')
  @Header('Cache-Control', 'no-store')
  integrity(): Promise<IntegrityReport> {
    return verifyAuditChain(this.db, this.store, undefined, this.settings);
  }
}
