import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@tessera/platform';
import { ScopeCatalog } from './scope.catalog';
import { ScopeController } from './scope.controller';
import { ScopeService } from './scope.service';

/** Scopes as the contract with APIs (issue 3 §2). */
@Module({
  controllers: [ScopeController],
  providers: [AdminTokenGuard, ScopeCatalog, ScopeService],
  exports: [ScopeCatalog],
})
export class ScopesModule {}
