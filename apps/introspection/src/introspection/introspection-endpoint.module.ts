import { Module } from '@nestjs/common';

/** `/oauth/introspect` and the TokenIntrospector (issue 4 §1, §2). */
@Module({})
export class IntrospectionEndpointModule {}
