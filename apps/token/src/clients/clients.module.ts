import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@tessera/platform';
import { ClientAuthenticator } from './client.authenticator';
import { ClientDirectory } from './client.directory';
import { ClientRegistrationController } from './client-registration.controller';
import { ClientRegistrationService } from './client-registration.service';
import { ClientSecretStore } from './client-secret.store';

/** The client registry (issue 3 §1): registration, lookup and client authentication. */
@Module({
  controllers: [ClientRegistrationController],
  providers: [AdminTokenGuard, ClientSecretStore, ClientDirectory, ClientAuthenticator, ClientRegistrationService],
  exports: [ClientDirectory, ClientAuthenticator, ClientRegistrationService],
})
export class ClientsModule {}
