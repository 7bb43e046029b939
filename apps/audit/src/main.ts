import { bootstrapService, loadConfig, runMain } from '@tessera/platform';
import { AuditAppModule } from './audit.app-module';

runMain(() => bootstrapService(AuditAppModule, loadConfig('audit')));
