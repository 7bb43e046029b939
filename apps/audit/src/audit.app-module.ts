import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { AuditModule } from './audit.module';
import { auditMigrations } from './migrations';
import { auditProjections } from './projections';

/** The audit service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'audit', projections: auditProjections, migrations: auditMigrations }),
    AuditModule,
  ],
})
export class AuditAppModule {}
