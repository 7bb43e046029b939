import { bootstrapService, loadConfig, runMain } from '@tessera/platform';
import { IntrospectionAppModule } from './introspection.app-module';

runMain(() => bootstrapService(IntrospectionAppModule, loadConfig('introspection')));
