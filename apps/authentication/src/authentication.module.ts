import { Module } from '@nestjs/common';
import { LoginModule } from './login/login.module';
import { ScimModule } from './scim/scim.module';
import { UsersModule } from './users/users.module';

/**
 * The authentication service's features (DESIGN §1), free of configuration so that the
 * standalone process can compose it: users and passwords (`UsersModule`) and SCIM 2.0 (`ScimModule`);
 * sign-in, MFA, `/oauth/authorize`, `/logout` and `/userinfo` (`LoginModule`).
 */
@Module({ imports: [UsersModule, ScimModule, LoginModule], exports: [UsersModule] })
export class AuthenticationModule {}
