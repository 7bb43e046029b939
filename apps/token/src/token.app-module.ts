import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { tokenMigrations } from './migrations';
import { TokenModule } from './token.module';
import { tokenProjections } from './projections';

/** The token service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'token', projections: tokenProjections, migrations: tokenMigrations }),
    TokenModule,
  ],
})
export class TokenAppModule {}
