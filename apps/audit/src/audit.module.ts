import { Module } from '@nestjs/common';

/**
 * The audit service's features (DESIGN §1), free of configuration so that the
 * standalone process can compose it; they arrive with later issues.
 */
@Module({})
export class AuditModule {}
