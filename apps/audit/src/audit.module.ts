import { Module } from '@nestjs/common';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import { AUDIT_SETTINGS, auditSettingsFor } from './audit.settings';
import { AuditIntegrityController } from './integrity/audit-integrity.controller';
import { AuditKeysModule } from './keys/audit-keys.module';
import { AuditPublisher } from './publish/audit.publisher';
import { AuditEventsController } from './query/audit-events.controller';
import { AuditEventsService } from './query/audit-events.service';
import { AuditTrailConsumer } from './trail/audit-trail.consumer';

/**
 * The audit service's features (DESIGN §1, issue 7 §1), free of configuration
 * so that the standalone process can compose it: the hash-chained trail fed
 * from the whole log, its signed checkpoints and retention, `/audit/events`,
 * `/audit/integrity`, and the `iam.audit` publisher.
 */
@Module({
  imports: [AuditKeysModule],
  controllers: [AuditEventsController, AuditIntegrityController],
  providers: [
    { provide: AUDIT_SETTINGS, inject: [CONFIG], useFactory: (config: TesseraConfig) => auditSettingsFor(config) },
    AuditTrailConsumer,
    AuditPublisher,
    AuditEventsService,
  ],
  exports: [AuditTrailConsumer],
})
export class AuditModule {}
