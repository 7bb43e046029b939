import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { AuthenticationModule } from './authentication.module';
import { authenticationProjections } from './projections';

/** The authentication service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'authentication', projections: authenticationProjections }),
    AuthenticationModule,
  ],
})
export class AuthenticationAppModule {}
