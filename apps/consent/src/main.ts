import { bootstrapService, loadConfig, runMain } from '@tessera/platform';
import { ConsentAppModule } from './consent.app-module';

runMain(() => bootstrapService(ConsentAppModule, loadConfig('consent')));
