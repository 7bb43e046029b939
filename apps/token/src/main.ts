import { bootstrapService, loadConfig, runMain } from '@tessera/platform';
import { TokenAppModule } from './token.app-module';

runMain(() => bootstrapService(TokenAppModule, loadConfig('token')));
