import { bootstrapService, loadConfig, runMain } from '@tessera/platform';
import { StandaloneModule } from './standalone.module';
import { startupBanner } from './startup-banner';

runMain(async () => {
  const config = loadConfig('standalone');
  await bootstrapService(StandaloneModule, config);
  process.stdout.write(startupBanner(config));
});
