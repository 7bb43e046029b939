import { randomUUID } from 'node:crypto';
import { PHANTOM_REFERENCE_CLAIM } from '@tessera/contracts';
import { bearerToken } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import type { JWTPayload } from 'jose';
import type { ActiveToken, TokenIntrospector } from '../introspection/active-token';
import type { JwtSigner } from '../keys/jwt-signer';
import { PhantomTokenCache } from './phantom-token.cache';
import type { PhantomTokenSettings } from './phantom-token.settings';

/** What nginx forwarded: the client's `Authorization` and the audience header nginx set itself. */
export interface PhantomTokenRequest {
  authorization: string | string[] | undefined;
  audience: string | undefined;
}

/** Why a request is refused; logged, never sent (the challenge says only `invalid_token`). */
export type PhantomRefusal =
  'no_bearer_token' | 'inactive_token' | 'jwt_presented' | 'audience_mismatch' | 'no_audience_header';

/** Let through with a JWT for the upstream, or refused with an RFC 6750 §3 challenge. */
export type PhantomDecision =
  | { allowed: true; jwt: string; exp: number; reused: boolean }
  | { allowed: false; reason: PhantomRefusal; challenge: string };

/** The ports the phantom token exchange needs (side effects behind injectables). */
export interface PhantomTokenDeps {
  introspector: TokenIntrospector;
  signer: JwtSigner;
  issuer: string;
  settings: PhantomTokenSettings;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** For the one warning about a gateway that names no audience (never a token). */
  logger: Logger;
}

/**
 * The phantom token exchange behind nginx `auth_request` (issue 4 §3): the
 * client's opaque reference token becomes a short-lived RFC 9068 JWT for the
 * API; the upstream never sees the reference token, the client never sees the
 * JWT. Every request is introspected first (the introspector knows revocations
 * at once); only then is a JWT minted for the same (token, audience) reused.
 */
export class PhantomTokenService {
  private readonly cache: PhantomTokenCache;
  private warnedNoAudience = false;

  constructor(private readonly deps: PhantomTokenDeps) {
    this.cache = new PhantomTokenCache(deps.settings.cacheMaxEntries);
  }

  async decide(request: PhantomTokenRequest): Promise<PhantomDecision> {
    const presented = bearerToken(request.authorization);
    // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
    if (presented === undefined) return this.refuse('no_bearer_token', false);
    const audience = request.audience?.trim();
    if (!audience) return this.noAudience();

    const token = await this.deps.introspector.introspect(presented);
    if (token === null) return this.refuse('inactive_token');
    // Clients hold reference tokens only; a JWT at the gateway means one leaked out of an API.
    if (token.format !== 'reference') return this.refuse('jwt_presented');
    if (!token.aud.includes(audience)) return this.refuse('audience_mismatch');

    const now = Math.floor(this.deps.clock() / 1000);
    if (token.exp <= now) return this.refuse('inactive_token');
    const { minRemainingSeconds } = this.deps.settings;
    const cached = this.cache.get(token.handle, audience, now, minRemainingSeconds);
    if (cached) return { allowed: true, ...cached, reused: true };

    const minted = await this.mint(token, audience, now);
    this.cache.set(token.handle, audience, minted);
    return { allowed: true, ...minted, reused: false };
  }

  /** RFC 9068 §2.2: the claims of the JWT the API gets; `exp` never beyond the reference token's. */
  private async mint(token: ActiveToken, audience: string, now: number) {
    const exp = Math.min(now + this.deps.settings.jwtTtlSeconds, token.exp);
    const payload: JWTPayload = {
      // The scopes' required claims first, so that none of them can shadow a registered claim.
      ...token.claims,
      iss: this.deps.issuer,
      sub: token.sub,
      aud: audience,
      client_id: token.clientId,
      scope: token.scope,
      jti: randomUUID(),
      iat: now,
      exp,
      ...(token.act ? { act: token.act } : {}),
      // The reference token's handle (not its value): a token exchange from this JWT keeps its lineage.
      [PHANTOM_REFERENCE_CLAIM]: token.handle,
    };
    const jwt = await this.deps.signer.sign(payload, { typ: 'at+jwt' }); // RFC 9068 §2.1
    return { jwt, exp };
  }

  /**
   * The gateway named no API audience: its configuration lacks it (deploy/nginx `set
   * $tessera_api_audience`, ingress-nginx `auth-proxy-set-headers`). Refused, never "any audience":
   * a JWT valid at every API in the token's `aud` is what the audience header exists to prevent.
   */
  private noAudience(): PhantomDecision {
    if (!this.warnedNoAudience) {
      this.warnedNoAudience = true;
      this.deps.logger.warn(
        { reason: 'no_audience_header', header: this.deps.settings.audienceHeader },
        'phantom token refused: the gateway sent no API audience header; set it for every protected location',
      );
    }
    return this.refuse('no_audience_header');
  }

  private refuse(reason: PhantomRefusal, withError = true): PhantomDecision {
    const realm = `Bearer realm="${this.deps.settings.realm}"`;
    // RFC 6750 §3: the one error code a gateway gives away.
    return { allowed: false, reason, challenge: withError ? `${realm}, error="invalid_token"` : realm };
  }
}
