import { Module } from '@nestjs/common';

/** The introspection service's own signing keys and its JwtSigner (DESIGN §5). */
@Module({})
export class IntrospectionKeysModule {}
