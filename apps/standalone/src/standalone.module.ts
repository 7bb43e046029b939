import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { AuditModule } from '../../audit/src/audit.module';
import { AuthenticationModule } from '../../authentication/src/authentication.module';
import { ConsentModule } from '../../consent/src/consent.module';
import { IntrospectionModule } from '../../introspection/src/introspection.module';
import { TokenModule } from '../../token/src/token.module';
import { allMigrations } from './all-migrations';
import { allProjections } from './all-projections';

/** All five services in one process on PGlite and the in-process bus (DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'standalone', projections: allProjections, migrations: allMigrations }),
    AuthenticationModule,
    TokenModule,
    IntrospectionModule,
    ConsentModule,
    AuditModule,
  ],
})
export class StandaloneModule {}
