import { Inject, Injectable } from '@nestjs/common';
import { PHANTOM_REFERENCE_CLAIM } from '@tessera/contracts';
import { SigningKeys } from '@tessera/keys';
import { CONFIG } from '@tessera/platform';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { PublishedKeysCache } from './published-keys.cache';

/** What a verified phantom JWT tells the exchange: the reference token it stands for, and what it released. */
export interface PhantomJwt {
  /** The reference token's handle (`tsr_ref`). */
  referenceHandle: string;
  sub: string;
  clientId: string;
  /** Seconds since the epoch. */
  exp: number;
  /** The claims it carries beyond the token's own structure (the scopes' required claims). */
  claims: Record<string, unknown>;
}

/** Injection token of the PhantomJwtCheck (replaced in unit tests). */
export const PHANTOM_JWT_CHECK = Symbol('token-exchange:phantom-jwt-check');

/** Checks a JWT is a phantom token the platform's gateway minted. */
export interface PhantomJwtCheck {
  /** The phantom JWT's facts when it verifies, else null. */
  verify(jwt: string): Promise<PhantomJwt | null>;
}

/** The owner of the keys that sign phantom JWTs (apps/introspection/src/keys). */
const PHANTOM_SIGNER = 'introspection';
/** Claims that describe the JWT itself, not the subject: never copied as released claims. */
const STRUCTURAL = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'scope', 'act', 'cnf']);

/**
 * RFC 8693 §2.1 subject token that is a phantom JWT (issue 4 §3): an API
 * behind the gateway only holds the JWT the introspection service minted for
 * the client's reference token. It is accepted when signed by one of the
 * introspection service's published keys (never `jku`/`jwk`/`x5u`, RFC 8725
 * §3.1), `typ` `at+jwt`, this issuer, unexpired, and naming the reference
 * token by handle; the exchange then works from that reference token's own
 * stream (revocation, lineage), so the phantom JWT grants nothing the
 * reference token does not.
 */
@Injectable()
export class PhantomJwtVerifier implements PhantomJwtCheck {
  private readonly published: PublishedKeysCache;

  constructor(
    keys: SigningKeys,
    @Inject(CONFIG) private readonly config: { issuer: string },
  ) {
    this.published = new PublishedKeysCache(keys, () => PHANTOM_SIGNER);
  }

  async verify(jwt: string): Promise<PhantomJwt | null> {
    try {
      const header = decodeProtectedHeader(jwt);
      if (header.typ !== 'at+jwt' || typeof header.kid !== 'string' || header.crit !== undefined) return null;
      const key = await this.published.keyFor(header.kid);
      if (!key || header.alg !== key.alg) return null;
      const { payload } = await compactVerify(jwt, await key.key, { algorithms: [key.alg] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      const ref = claims[PHANTOM_REFERENCE_CLAIM];
      const { sub, client_id: clientId, exp } = claims;
      if (claims.iss !== this.config.issuer || typeof ref !== 'string' || ref === '') return null;
      if (typeof sub !== 'string' || typeof clientId !== 'string' || typeof exp !== 'number') return null;
      const released = Object.fromEntries(
        Object.entries(claims).filter(([name]) => !STRUCTURAL.has(name) && name !== PHANTOM_REFERENCE_CLAIM),
      );
      return { referenceHandle: ref, sub, clientId, exp, claims: released };
    } catch {
      return null;
    }
  }
}
