import { decodeJwt } from 'jose';
import { tokenHandle } from './revocation-list';

/** RFC 8693 §2.1: the token exchange grant type. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the type of an access token presented or issued. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** RFC 8693 §3: the type of a JWT; an issuer may name a JWT access token so. */
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** Options of the token exchange client. */
export interface TokenExchangeClientOptions {
  /** The issuer's token endpoint, e.g. `https://iam.example/oauth/token`. */
  tokenEndpoint: string | URL;
  /** This API's own client id and secret (client_secret_basic, RFC 6749 §2.3.1). */
  clientId: string;
  /** The client secret; never logged nor put in an error. */
  clientSecret: string;
  /** An exchanged token is reused until this many seconds before it expires (default 30). */
  refreshBeforeExpirySeconds?: number;
  /** Most cached exchanged tokens (default 10,000); the oldest are dropped first. */
  maxCacheEntries?: number;
  /** Timeout of one exchange request, in ms (default 5,000). */
  timeoutMs?: number;
  /** The clock (tests); default `new Date()`. */
  now?: () => Date;
  /** The fetch implementation (tests); default the global `fetch`. */
  fetch?: typeof fetch;
}

/** What to exchange the incoming token for: one audience and the scopes the downstream call needs. */
export interface ExchangeRequest {
  /** The downstream service (RFC 8693 §2.1 `audience`). */
  audience: string;
  /** The scopes to ask for, never more than the incoming token holds (RFC 8693 §2.1 `scope`). */
  scope?: string | readonly string[];
}

/** The issuer refused an exchange or answered unexpectedly; carries the RFC 8693 §2.2.2 error code. */
export class TokenExchangeError extends Error {
  constructor(
    /** The OAuth error code (`invalid_request`, `invalid_target`, `invalid_scope`…), or `server_error`. */
    readonly error: string,
    /** The HTTP status the issuer answered with (0 when it could not be reached). */
    readonly status: number,
    /** The issuer's `error_description`, if any. */
    readonly description?: string,
  ) {
    super(description ? `token exchange failed: ${error} (${description})` : `token exchange failed: ${error}`);
  }
}

/** `issued_token_type` values usable as a bearer access token. */
const ISSUED_TYPES = [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE];

interface CachedToken {
  accessToken: string;
  reuseUntilMs: number;
}

/**
 * Calls a downstream service on behalf of the caller (DESIGN §5): exchanges
 * the incoming token at the issuer's token endpoint (RFC 8693 §2.1) for one
 * narrowed to the downstream audience and scopes, and caches the result per
 * (incoming token, audience, scope) until shortly before it expires.
 * Concurrent requests for the same exchange share one call.
 */
export class TokenExchangeClient {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly refreshBeforeMs: number;
  private readonly maxCacheEntries: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly fetch: typeof fetch;

  constructor(options: TokenExchangeClientOptions) {
    this.endpoint = String(options.tokenEndpoint);
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    const credentials = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    this.refreshBeforeMs = (options.refreshBeforeExpirySeconds ?? 30) * 1000;
    this.maxCacheEntries = options.maxCacheEntries ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
    this.fetch = options.fetch ?? fetch;
  }

  /** The access token to call `request.audience` with, exchanged from `subjectToken` (or cached). */
  async accessTokenFor(subjectToken: string, request: ExchangeRequest): Promise<string> {
    const scope = scopeString(request.scope);
    // The subject token is keyed by its hash: the cache never holds an incoming token value.
    const key = `${tokenHandle(subjectToken)} ${request.audience} ${scope}`;
    const cached = this.cache.get(key);
    if (cached && this.now().getTime() < cached.reuseUntilMs) return cached.accessToken;
    if (cached) this.cache.delete(key);
    let call = this.pending.get(key);
    if (!call) {
      call = this.exchange(subjectToken, request.audience, scope, key).finally(() => this.pending.delete(key));
      this.pending.set(key, call);
    }
    return call;
  }

  /** Forgets every cached token. */
  clear(): void {
    this.cache.clear();
  }

  private async exchange(subjectToken: string, audience: string, scope: string, key: string): Promise<string> {
    // RFC 8693 §2.1: the request parameters.
    const form = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      audience,
    });
    if (scope) form.set('scope', scope);
    let response: Response;
    try {
      response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new TokenExchangeError('server_error', 0, 'token endpoint unreachable');
    }
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) {
      // RFC 8693 §2.2.2: an error response as in RFC 6749 §5.2.
      const error = typeof body?.error === 'string' ? body.error : 'server_error';
      const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
      throw new TokenExchangeError(error, response.status, description);
    }
    const accessToken = body?.access_token;
    // RFC 8693 §2.2.1: `access_token`, `issued_token_type` and `token_type` are required.
    const issuedType = body?.issued_token_type;
    if (typeof accessToken !== 'string' || accessToken === '' || !ISSUED_TYPES.includes(String(issuedType))) {
      throw new TokenExchangeError('server_error', response.status, 'unexpected token exchange response');
    }
    if (typeof body?.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
      throw new TokenExchangeError('server_error', response.status, 'unexpected token_type');
    }
    this.remember(key, accessToken, expiresAtMs(body.expires_in, accessToken, this.now().getTime()));
    return accessToken;
  }

  private remember(key: string, accessToken: string, expiresAt: number | undefined): void {
    if (expiresAt === undefined) return; // Unknown lifetime: not cached rather than used past its expiry.
    const reuseUntilMs = expiresAt - this.refreshBeforeMs;
    if (reuseUntilMs <= this.now().getTime()) return;
    while (this.cache.size >= this.maxCacheEntries) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    this.cache.set(key, { accessToken, reuseUntilMs });
  }
}

/** RFC 8693 §2.2.1 `expires_in`, else the issued JWT's own `exp` (read only for caching, not trusted). */
function expiresAtMs(expiresIn: unknown, accessToken: string, nowMs: number): number | undefined {
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) return nowMs + expiresIn * 1000;
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function scopeString(scope: string | readonly string[] | undefined): string {
  const scopes = typeof scope === 'string' ? scope.split(' ') : [...(scope ?? [])];
  // Order does not change a scope (RFC 6749 §3.3): sorted, equal requests share a cache entry.
  return [...new Set(scopes.filter((s) => s !== ''))].sort().join(' ');
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
