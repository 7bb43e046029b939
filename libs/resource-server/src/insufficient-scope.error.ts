import { OAuthError } from '@tessera/oauth';

/** RFC 6750 §3.1: the token lacks a scope (or a claim, DESIGN §5) the resource requires (403). */
export class InsufficientScopeError extends OAuthError {
  readonly error = 'insufficient_scope';
  override readonly status = 403;

  constructor(
    description: string,
    /** The scopes the resource requires, for the challenge's `scope` attribute (RFC 6750 §3). */
    readonly requiredScopes: readonly string[] = [],
  ) {
    super(description);
  }
}
