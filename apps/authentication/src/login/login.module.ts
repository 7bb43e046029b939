import { Module } from '@nestjs/common';
import { ClientDirectory } from '@tessera/clients';
import { KeyEncryptionKey } from '@tessera/keys';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import { AuthorizationRequestRepository } from '../authorize/authorization-request.repository';
import { AuthorizeController } from '../authorize/authorize.controller';
import { AuthorizeService } from '../authorize/authorize.service';
import { LogoutController } from '../logout/logout.controller';
import { LogoutService } from '../logout/logout.service';
import { MfaController } from '../mfa/mfa.controller';
import { MfaService } from '../mfa/mfa.service';
import { RecoveryCodeStore } from '../mfa/recovery-code.store';
import { TotpSecretStore } from '../mfa/totp-secret.store';
import { AUTH_CLOCK, AUTH_SLEEP, realSleep } from '../sessions/auth-ports';
import { CookiePolicy } from '../sessions/cookie-policy';
import { SessionService } from '../sessions/session.service';
import { UserinfoController } from '../userinfo/userinfo.controller';
import { UserinfoService } from '../userinfo/userinfo.service';
import { UsersModule } from '../users/users.module';
import { LoginController } from './login.controller';
import { LoginService } from './login.service';
import { LoginThrottle } from './login-throttle';
import { PendingLoginSealer } from './pending-login';

/**
 * Sign-in and the authorization endpoint (issue 5 §3-7): login pages and
 * sessions, TOTP and recovery codes, brute-force throttle, `/oauth/authorize`
 * with code issuance, RP-initiated `/logout` and `/userinfo`.
 */
@Module({
  imports: [UsersModule],
  controllers: [LoginController, AuthorizeController, MfaController, LogoutController, UserinfoController],
  providers: [
    { provide: AUTH_CLOCK, useValue: () => new Date() },
    { provide: AUTH_SLEEP, useValue: realSleep },
    { provide: LoginThrottle, useFactory: () => new LoginThrottle() },
    {
      provide: PendingLoginSealer,
      inject: [CONFIG],
      useFactory: (config: TesseraConfig) => {
        if (config.mode === 'cli' || config.kek === undefined) throw new Error('sign-in needs TESSERA_KEK');
        return new PendingLoginSealer(new KeyEncryptionKey(config.kek.reveal()));
      },
    },
    ClientDirectory,
    CookiePolicy,
    SessionService,
    AuthorizationRequestRepository,
    AuthorizeService,
    TotpSecretStore,
    RecoveryCodeStore,
    MfaService,
    LoginService,
    LogoutService,
    UserinfoService,
  ],
  exports: [SessionService],
})
export class LoginModule {}
