import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { ConsentModule } from './consent.module';
import { consentProjections } from './projections';

/** The consent service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [PlatformModule.forRoot({ service: 'consent', projections: consentProjections }), ConsentModule],
})
export class ConsentAppModule {}
