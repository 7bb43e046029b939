import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { AuthenticationModule } from './authentication.module';
import { authenticationMigrations } from './migrations';
import { authenticationProjections } from './projections';

/** The authentication service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'authentication',
      projections: authenticationProjections,
      migrations: authenticationMigrations,
    }),
    AuthenticationModule,
  ],
})
export class AuthenticationAppModule {}
