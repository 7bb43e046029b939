import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard';
import { REQUIRED_CLAIMS, REQUIRED_SCOPES } from './access-metadata';

/**
 * Requires a valid access token holding every given scope (403
 * `insufficient_scope` otherwise); with no scope, just a valid token.
 * On a class it applies to every route; class and route scopes add up.
 */
export function RequireScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), UseGuards(AccessTokenGuard));
}

/** Requires a valid access token carrying every given claim, e.g. `account_nr` (403 otherwise). */
export function RequireClaims(...claims: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUIRED_CLAIMS, claims), UseGuards(AccessTokenGuard));
}
