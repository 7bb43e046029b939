import { Module } from '@nestjs/common';

/** `/gateway/phantom`: the phantom token answer for nginx `auth_request` (issue 4 §3). */
@Module({})
export class GatewayModule {}
