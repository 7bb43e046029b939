import { HttpException, Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OAuthError } from '@tessera/oauth';
import { assertRequirements } from './access-requirements';
import { REQUIRED_CLAIMS, REQUIRED_SCOPES } from './access-metadata';
import { AccessTokenVerifier } from './access-token-verifier';
import { bearerChallenge, extractBearerToken } from './bearer-challenge';
import type { Principal } from './principal';
import { attachPrincipal, principalOf } from './request-principal';
import { RESOURCE_SERVER_OPTIONS, type ResourceServerModuleOptions } from './resource-server-module.options';

/** What the guard reads of a request (Fastify and Express alike). */
interface HeaderCarrier {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Lets a request through only with a valid, unrevoked access token that meets
 * the route's `@RequireScopes`/`@RequireClaims`: 401 with a bearer challenge
 * when the token is missing or invalid, 403 `insufficient_scope` when it
 * falls short (RFC 6750 §3.1). The principal is then available to `@Principal()`.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly reflector: Reflector,
    @Optional() @Inject(RESOURCE_SERVER_OPTIONS) private readonly options?: ResourceServerModuleOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<HeaderCarrier>();
    const targets = [context.getHandler(), context.getClass()];
    try {
      // A route guarded at class and method level runs the guard twice: the token is verified once.
      const principal = principalOf(request) ?? (await this.authenticate(request));
      if (!principal) throw this.refusal(http.getResponse(), null);
      assertRequirements(principal, {
        scopes: this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, targets),
        claims: this.reflector.getAllAndMerge<string[]>(REQUIRED_CLAIMS, targets),
      });
      return true;
    } catch (err) {
      if (err instanceof OAuthError) throw this.refusal(http.getResponse(), err);
      throw err;
    }
  }

  /** The verified principal, or null when the request carries no bearer token. */
  private async authenticate(request: HeaderCarrier): Promise<Principal | null> {
    const token = extractBearerToken(request.headers.authorization);
    if (token === null) return null;
    const { principal } = await this.verifier.verify(token);
    attachPrincipal(request, principal);
    return principal;
  }

  /** RFC 6750 §3: the status, the `WWW-Authenticate` challenge and a JSON body. */
  private refusal(response: unknown, error: OAuthError | null): HttpException {
    const challenge = bearerChallenge(error, this.options?.realm);
    if (challenge.wwwAuthenticate) setHeader(response, 'WWW-Authenticate', challenge.wwwAuthenticate);
    return new HttpException(challenge.body, challenge.status);
  }
}

/** Fastify's reply has `header`, Express's response `setHeader` (and `header`). */
function setHeader(response: unknown, name: string, value: string): void {
  const res = response as { header?: (n: string, v: string) => unknown; setHeader?: (n: string, v: string) => unknown };
  if (typeof res.header === 'function') res.header(name, value);
  else if (typeof res.setHeader === 'function') res.setHeader(name, value);
}
