import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { TesseraConfig } from '../config';
import { CONFIG } from '../tokens';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The bearer token of an `Authorization` header (RFC 6750 §2.1), or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}

/**
 * Compares a presented token with the expected one in constant time: both are
 * hashed first so that neither their contents nor their lengths leak through timing.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Guards the admin APIs (`/admin/*`, `/scim/v2/*`) and RFC 7591 registration
 * (initial access token) with `Authorization: Bearer <TESSERA_ADMIN_TOKEN>`
 * (DESIGN §9). Failure: 401 `invalid_token` with `WWW-Authenticate: Bearer`
 * (RFC 6750 §3.1), as an HttpException so that every app's filter renders it.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: string;

  constructor(@Inject(CONFIG) config: TesseraConfig) {
    if (config.mode === 'cli') throw new Error('AdminTokenGuard needs a serving config');
    this.expected = config.adminToken.reveal();
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const presented = bearerToken(request.headers['authorization']);
    if (presented !== undefined && tokensEqual(presented, this.expected)) return true;
    const reply = http.getResponse<{ header(name: string, value: string): unknown }>();
    // RFC 6750 §3.1: no error code when no credentials were sent at all.
    reply.header(
      'WWW-Authenticate',
      presented === undefined ? 'Bearer realm="tessera"' : 'Bearer realm="tessera", error="invalid_token"',
    );
    reply.header('Cache-Control', 'no-store');
    throw new UnauthorizedException({
      error: 'invalid_token',
      error_description: presented === undefined ? 'admin token required' : 'invalid admin token',
    });
  }
}
