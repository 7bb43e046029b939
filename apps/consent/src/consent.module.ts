import { Module } from '@nestjs/common';
import { ClientDirectory } from '@tessera/clients';
import { AuthorizationRequests } from './consent/authorization-requests';
import { ConsentController } from './consent/consent.controller';
import { ConsentService } from './consent/consent.service';
import { ScopeDescriptions } from './consent/scope-descriptions';
import { SignedInUsers } from './consent/signed-in-user';
import { ConsentsController } from './consents/consents.controller';
import { ConsentsReadModel } from './consents/consents.read-model';
import { UserConsents } from './consents/user-consents';

/**
 * The consent service's features (DESIGN §1, issue 5 §8): the consent page
 * and `/consents`. Free of configuration so that the standalone process can
 * compose it.
 */
@Module({
  controllers: [ConsentController, ConsentsController],
  providers: [
    ClientDirectory,
    SignedInUsers,
    AuthorizationRequests,
    ScopeDescriptions,
    ConsentService,
    ConsentsReadModel,
    UserConsents,
  ],
})
export class ConsentModule {}
