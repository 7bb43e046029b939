import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@tessera/platform';
import { ClientAssertionVerifier } from './client-assertion.verifier';
import { ClientAuthenticator } from './client.authenticator';
import { ClientDirectory } from './client.directory';
import { ClientRegistrationController } from './client-registration.controller';
import { ClientRegistrationService } from './client-registration.service';
import { ClientSecretController } from './client-secret.controller';
import { ClientSecretStore } from './client-secret.store';

/** The client registry (issue 3 §1): registration, lookup and client authentication. */
@Module({
  controllers: [ClientRegistrationController, ClientSecretController],
  providers: [
    AdminTokenGuard,
    ClientSecretStore,
    ClientDirectory,
    ClientAssertionVerifier,
    ClientAuthenticator,
    ClientRegistrationService,
  ],
  exports: [ClientDirectory, ClientAuthenticator, ClientRegistrationService],
})
export class ClientsModule {}
