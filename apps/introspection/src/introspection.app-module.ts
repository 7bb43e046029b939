import { Module } from '@nestjs/common';
import { PlatformModule } from '@tessera/platform';
import { IntrospectionModule } from './introspection.module';
import { introspectionMigrations } from './migrations';
import { introspectionProjections } from './projections';

/** The introspection service as its own process (distributed mode, DESIGN §6). */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'introspection',
      projections: introspectionProjections,
      migrations: introspectionMigrations,
    }),
    IntrospectionModule,
  ],
})
export class IntrospectionAppModule {}
