import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import { type CookieOptions, cookiesNeedSecure } from './cookies';

/** Cookie attributes for this issuer: `Secure` unless it is a plain-http loopback URL (brief 5). */
@Injectable()
export class CookiePolicy {
  readonly secure: boolean;

  constructor(@Inject(CONFIG) config: TesseraConfig) {
    this.secure = config.mode === 'cli' ? true : cookiesNeedSecure(config.issuer);
  }

  /** HttpOnly; SameSite=Lax; Path=/ (+ Secure), with an optional Max-Age in seconds. */
  options(maxAgeSeconds?: number): CookieOptions {
    return { secure: this.secure, ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) };
  }
}
