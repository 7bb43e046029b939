import { Module } from '@nestjs/common';
import { CLIENT_SECRET_CHECK, ClientAssertionVerifier, ClientAuthenticator, ClientDirectory } from '@tessera/clients';
import { AdminTokenGuard } from '@tessera/platform';
import { ClientRegistrationController } from './client-registration.controller';
import { ClientRegistrationService } from './client-registration.service';
import { TokenClientSecretCheck } from './client-secret.check';
import { ClientSecretController } from './client-secret.controller';
import { ClientSecretStore } from './client-secret.store';
import { TokenClientAuthenticator } from './token-client.authenticator';

/** The client registry (issue 3 §1): registration, lookup and client authentication. */
@Module({
  controllers: [ClientRegistrationController, ClientSecretController],
  providers: [
    AdminTokenGuard,
    ClientSecretStore,
    { provide: CLIENT_SECRET_CHECK, useClass: TokenClientSecretCheck },
    ClientDirectory,
    ClientAssertionVerifier,
    ClientAuthenticator,
    TokenClientAuthenticator,
    ClientRegistrationService,
  ],
  exports: [ClientDirectory, ClientAuthenticator, TokenClientAuthenticator, ClientRegistrationService],
})
export class ClientsModule {}
