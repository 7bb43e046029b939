import { Module } from '@nestjs/common';
import { CLIENT_SECRET_CHECK, ClientAssertionVerifier, ClientAuthenticator, ClientDirectory } from '@tessera/clients';
import { IntrospectionKeysModule } from '../keys/introspection-keys.module';
import { TOKEN_INTROSPECTOR } from './active-token';
import { CLOCK, systemClock } from './clock';
import { HotTokenCache } from './hot-token.cache';
import { IntrospectionCallerAuthenticator } from './introspection-caller.authenticator';
import { IntrospectionController } from './introspection.controller';
import { IntrospectionService } from './introspection.service';
import { ReadModelTokenIntrospector } from './read-model.token-introspector';
import { RevocationListener } from './revocation.listener';
import { SqlClientSecretCheck } from './sql.client-secret-check';
import { TokenReadModel } from './token-read-model';

/** `/oauth/introspect` and the TokenIntrospector (issue 4 §1, §2). */
@Module({
  imports: [IntrospectionKeysModule],
  controllers: [IntrospectionController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    { provide: CLIENT_SECRET_CHECK, useClass: SqlClientSecretCheck },
    ClientDirectory,
    ClientAssertionVerifier,
    ClientAuthenticator,
    IntrospectionCallerAuthenticator,
    TokenReadModel,
    { provide: HotTokenCache, useFactory: () => new HotTokenCache() },
    RevocationListener,
    { provide: TOKEN_INTROSPECTOR, useClass: ReadModelTokenIntrospector },
    IntrospectionService,
  ],
  exports: [TOKEN_INTROSPECTOR],
})
export class IntrospectionEndpointModule {}
