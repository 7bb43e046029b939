import { Inject, Injectable } from '@nestjs/common';
import { ConcurrencyError } from '@tessera/event-store';
import { InvalidRequestError, InvalidScopeError, parseScope } from '@tessera/oauth';
import { CONFIG } from '@tessera/platform';
import type { RegisteredClient } from '../clients/registered-client';
import type { CommandMeta } from '../tokens/command-meta';
import { type IssuedTokens, TokenIssuer } from '../tokens/token-issuer.service';
import {
  SCOPE_REQUIREMENTS,
  type ScopeRequirement,
  type ScopeRequirements,
  type StreamGuard,
} from '../tokens/token-ports';
import { resolveAudience } from './audience-policy';
import type { Grant } from './grant';
import type { FormParams } from './token-params';

/** Attempts when the scope definitions a request was decided on changed before its append. */
const MAX_ATTEMPTS = 3;

/** RFC 6749 §4.4: a machine client obtains a token for itself (sub = client id, RFC 9068 §2.2). */
@Injectable()
export class ClientCredentialsGrant implements Grant {
  readonly grantType = 'client_credentials';

  constructor(
    private readonly issuer: TokenIssuer,
    @Inject(SCOPE_REQUIREMENTS) private readonly scopes: ScopeRequirements,
    @Inject(CONFIG) private readonly config: { issuer: string },
  ) {}

  async handle(
    params: FormParams,
    client: RegisteredClient,
    meta: CommandMeta,
    clientGuards: readonly StreamGuard[] = [],
  ): Promise<IssuedTokens> {
    const scopes = this.requestedScopes(params, client);
    const resources = [...params.all('resource'), ...params.all('audience')];
    for (let attempt = 1; ; attempt++) {
      // Scope requirements from the catalogue's cache, no read per request; the issuer appends their
      // stream versions as guards, so a scope redefined or deleted meanwhile fails the append instead.
      // A retry follows `forget`, so it reads the log, still guarded.
      const { requirements, guards, fresh } = await this.scopes.getGuarded(scopes);
      try {
        refuseUserClaims(requirements);
        const audience = resolveAudience(client, resources, this.config.issuer);
        // RFC 6749 §4.4.3: no refresh token for client credentials.
        return await this.issuer.issue({
          clientId: client.clientId,
          format: client.accessTokenFormat,
          sub: client.clientId,
          scopes,
          audience: [audience],
          scopeRequirements: requirements,
          guards: [...guards, ...clientGuards],
          meta,
        });
      } catch (err) {
        // A refusal from cached definitions, or a guard that failed: look again, from the log.
        const moved = err instanceof ConcurrencyError && guards.some((g) => g.streamId === err.streamId);
        // Still changing after every attempt: the caller may retry (never a 500).
        if (moved && attempt >= MAX_ATTEMPTS) throw new InvalidRequestError('concurrent modification; retry');
        const stale = (err instanceof InvalidScopeError && !fresh) || moved;
        if (!stale) throw err;
        this.scopes.forget(scopes);
      }
    }
  }

  /** RFC 6749 §3.3: ⊆ the registered scope; none asked → the registered scope. */
  private requestedScopes(params: FormParams, client: RegisteredClient): string[] {
    const raw = params.get('scope');
    if (raw === undefined) return [...client.scopes];
    const scopes = parseScope(raw);
    if (scopes === null) throw new InvalidScopeError('scope is malformed');
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0) throw new InvalidScopeError(`scope not allowed for this client: ${unknown.join(' ')}`);
    return scopes;
  }
}

/** DESIGN §5: a machine client has no user claims, so a scope requiring claims cannot be granted. */
function refuseUserClaims(requirements: readonly ScopeRequirement[]): void {
  const needing = requirements.filter((s) => s.requiredClaims.length > 0);
  if (needing.length > 0) {
    const list = needing.map((s) => `${s.name} (${s.requiredClaims.join(', ')})`).join(', ');
    throw new InvalidScopeError(`scopes requiring claims cannot be granted to a client: ${list}`);
  }
}
