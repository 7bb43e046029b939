import { Module } from '@nestjs/common';
import { CredentialStore } from '../passwords/credential.store';
import { PasswordAuthenticator } from '../passwords/password.authenticator';
import { PasswordHasher } from '../passwords/password.hasher';
import { UserDirectory } from './user.directory';
import { UserKeyStore } from './user-key.store';
import { UserNameIndex } from './user-name.index';
import { UserService } from './user.service';

/**
 * Users and passwords (issue 5 §1, §2). Exports what later features build on:
 * `UserDirectory` (read users), `PasswordAuthenticator` (password login),
 * `UserService` (commands); `userClaims()` in `user-claims.ts` is a plain function.
 */
@Module({
  providers: [
    UserKeyStore,
    UserNameIndex,
    CredentialStore,
    PasswordHasher,
    UserService,
    UserDirectory,
    PasswordAuthenticator,
  ],
  exports: [UserDirectory, PasswordAuthenticator, UserService],
})
export class UsersModule {}
