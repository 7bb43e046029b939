import { bootstrapService, loadConfig, runMain } from '@tessera/platform';
import { AuthenticationAppModule } from './authentication.app-module';

runMain(() => bootstrapService(AuthenticationAppModule, loadConfig('authentication')));
