import {
  createRemoteJWKSet,
  jwtVerify,
  type JWSHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type ProtectedHeaderParameters,
} from 'jose';
import { InvalidTokenError } from '@tessera/oauth';
import { principalFromClaims, type Principal } from './principal';
import {
  resolveVerifierOptions,
  type AccessTokenVerifierOptions,
  type ResolvedVerifierOptions,
} from './resource-server.options';
import type { RevocationList } from './revocation-list';
import { verificationFailure } from './verification-failure';

/** RFC 9068 §2.2: the claims every JWT access token carries (`iss` and `aud` are checked by value). */
const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'sub', 'client_id'];

/** RFC 9068 §4: `typ` is `at+jwt`, or `application/at+jwt`, compared case-insensitively. */
const AT_JWT = /^(application\/)?at\+jwt$/i;

/** Header parameters that would carry or point at a key chosen by the token's author (RFC 8725 §3.10). */
const EMBEDDED_KEY_HEADERS = ['jwk', 'x5c'] as const;

/** A verified access token. */
export interface VerifiedAccessToken {
  /** Who the token speaks for. */
  principal: Principal;
  /** The verified claims. */
  payload: JWTPayload;
  /** The protected header. */
  header: ProtectedHeaderParameters;
}

/** Where the verifier gets its keys and its revocations from. */
export interface AccessTokenVerifierDeps {
  /** Revoked tokens heard of on `iam.revocations`; none are refused when absent. */
  revocations?: RevocationList;
}

/**
 * Verifies RFC 9068 JWT access tokens per RFC 8725: allow-listed asymmetric
 * algorithms (and the key's own `alg`), `typ` `at+jwt`, exact `iss`, this
 * API in `aud`, `exp`/`nbf`/`iat` within at most 60 s leeway, keys only from
 * the issuer's JWKS URL (refetched on an unknown `kid`, at most once per
 * cooldown), no embedded or referenced keys, no `crit` extension, not revoked.
 * Usable from plain Node; the NestJS guard wraps it.
 */
export class AccessTokenVerifier {
  private readonly options: ResolvedVerifierOptions;
  private readonly verifyOptions: JWTVerifyOptions;
  private readonly keys: JWTVerifyGetKey;
  private readonly revocations?: RevocationList;

  constructor(options: AccessTokenVerifierOptions, deps: AccessTokenVerifierDeps = {}) {
    this.options = resolveVerifierOptions(options);
    this.verifyOptions = {
      algorithms: [...this.options.algorithms],
      issuer: this.options.issuer,
      audience: this.options.audience,
      typ: 'at+jwt',
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: this.options.clockToleranceSeconds,
    };
    // jose selects the key by `kid`, `kty`/`crv` and the JWK's own `alg` and `use` (RFC 8725 §3.1: the
    // algorithm is bound to the key), never follows `jku`/`x5u`, and reloads on an unknown `kid` only
    // after the cooldown.
    const issuerKeys = createRemoteJWKSet(this.options.jwksUri, {
      cooldownDuration: this.options.jwksCooldownMs,
      cacheMaxAge: this.options.jwksCacheMaxAgeMs,
      timeoutDuration: this.options.jwksTimeoutMs,
    });
    // jose has already refused a malformed token, an `alg` outside the allow-list and any `crit` it does
    // not recognise when it asks for the key: the header is checked here, before any signature check.
    this.keys = (header, token) => {
      checkHeader(header);
      return issuerKeys(header, token);
    };
    this.revocations = deps.revocations;
  }

  /** Verifies a token; throws `InvalidTokenError` (short reason) or `ServerError` (keys unavailable). */
  async verify(token: string): Promise<VerifiedAccessToken> {
    try {
      const now = this.options.now?.();
      const { payload, protectedHeader } = await jwtVerify(
        token,
        this.keys,
        now ? { ...this.verifyOptions, currentDate: now } : this.verifyOptions,
      );
      this.checkIssuedAt(payload, now ?? new Date());
      const principal = principalFromClaims(payload);
      if (this.revocations?.revoked(token, payload)) throw new InvalidTokenError('token revoked');
      return { principal, payload, header: protectedHeader };
    } catch (err) {
      throw verificationFailure(err, token);
    }
  }

  /** jose checks `iat` only against a maximum age: a token issued in the future is refused here. */
  private checkIssuedAt(payload: JWTPayload, now: Date): void {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds + this.options.clockToleranceSeconds) {
      throw new InvalidTokenError('iat in the future');
    }
  }
}

/** RFC 8725 §3.1, §3.11, RFC 9068 §4: what no signature check should even be attempted on. */
function checkHeader(header: JWSHeaderParameters): void {
  if (typeof header.typ !== 'string' || !AT_JWT.test(header.typ)) throw new InvalidTokenError('typ must be at+jwt');
  // `jku`/`x5u` are simply never dereferenced; a key carried in the token itself is refused outright.
  if (EMBEDDED_KEY_HEADERS.some((name) => header[name] !== undefined)) {
    throw new InvalidTokenError('embedded key refused');
  }
  // RFC 7515 §4.1.11: this verifier understands no extension (jose refuses the ones it does not know first).
  if (header.crit !== undefined) throw new InvalidTokenError('unknown crit');
}
