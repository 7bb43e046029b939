import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { IntrospectionModule } from './introspection.module';
import { introspectionProjections } from './projections';

/** The introspection service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'introspection', projections: introspectionProjections }),
    IntrospectionModule,
  ],
})
export class IntrospectionAppModule {}
