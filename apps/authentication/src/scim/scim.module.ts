import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@tessera/platform';
import { UsersModule } from '../users/users.module';
import { ScimErrorFilter } from './scim-error.filter';
import { ScimJsonParser } from './scim-json.parser';
import { ScimUsersController } from './scim-users.controller';
import { ScimUsersService } from './scim-users.service';

/** SCIM 2.0 Users at `/scim/v2/Users` (issue 5 §1, RFC 7644). */
@Module({
  imports: [UsersModule],
  controllers: [ScimUsersController],
  providers: [AdminTokenGuard, ScimErrorFilter, ScimJsonParser, ScimUsersService],
})
export class ScimModule {}
