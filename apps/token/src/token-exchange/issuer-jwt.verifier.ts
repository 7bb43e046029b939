import { Inject, Injectable } from '@nestjs/common';
import { SigningKeys } from '@tessera/keys';
import { CONFIG } from '@tessera/platform';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { PublishedKeysCache } from './published-keys.cache';

/** Checks a JWT access token was signed by the token service itself. */
export interface IssuerJwtCheck {
  /** True when `jwt` is an `at+jwt` of this issuer, signed by one of the token service's keys. */
  verify(jwt: string): Promise<boolean>;
}

/** Injection token of the IssuerJwtCheck (replaced in unit tests). */
export const ISSUER_JWT_CHECK = Symbol('token-exchange:issuer-jwt-check');

/**
 * RFC 8693 §2.2.2: a JWT subject or actor token must be one the token service
 * signed. Only the service's own published keys are used (never `jku`, `jwk`
 * or `x5u` headers, RFC 8725 §3.1), with the algorithm the key declares; the
 * key set is the one currently published (PublishedKeysCache).
 */
@Injectable()
export class IssuerJwtVerifier implements IssuerJwtCheck {
  private readonly published: PublishedKeysCache;

  constructor(
    keys: SigningKeys,
    @Inject(CONFIG) private readonly config: { issuer: string },
  ) {
    this.published = new PublishedKeysCache(keys, () => keys.owner);
  }

  async verify(jwt: string): Promise<boolean> {
    try {
      const header = decodeProtectedHeader(jwt);
      if (header.typ !== 'at+jwt' || typeof header.kid !== 'string' || header.crit !== undefined) return false;
      const key = await this.published.keyFor(header.kid);
      if (!key || header.alg !== key.alg) return false;
      const { payload } = await compactVerify(jwt, await key.key, { algorithms: [key.alg] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown };
      return claims.iss === this.config.issuer;
    } catch {
      return false;
    }
  }
}
