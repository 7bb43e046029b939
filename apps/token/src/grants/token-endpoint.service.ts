import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConcurrencyError } from '@tessera/event-store';
import {
  type HeaderBag,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
} from '@tessera/oauth';
import { METRICS } from '@tessera/platform';
import { tokensIssuedCounter } from '@tessera/telemetry';
import type { Counter, Registry } from 'prom-client';
import { TokenClientAuthenticator } from '../clients/token-client.authenticator';
import type { IssuedTokens } from '../tokens/token-issuer.service';
import { CLOCK } from '../tokens/token-ports';
import { GRANTS, type Grant } from './grant';
import { parseFormParams, required } from './token-params';

/** Attempts when the client an answer was based on changed before its append; the last reads fresh, still guarded. */
const MAX_ATTEMPTS = 3;

/**
 * The token endpoint's processing rules (RFC 6749 §3.2, §5), as named steps:
 * parse the form, know the grant type, authenticate the client, check the
 * client may use the grant, then hand over to the grant.
 */
@Injectable()
export class TokenEndpoint {
  private readonly grants: Map<string, Grant>;
  private readonly issued?: Counter<'grant'>;

  constructor(
    @Inject(GRANTS) grants: Grant[],
    private readonly clients: TokenClientAuthenticator,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Optional() @Inject(METRICS) metrics?: Registry,
  ) {
    this.grants = new Map(grants.map((g) => [g.grantType, g]));
    // Labelled by the grant type only once it is a known one: bounded cardinality.
    if (metrics) this.issued = tokensIssuedCounter(metrics);
  }

  async handle(headers: HeaderBag, body: unknown): Promise<IssuedTokens> {
    const params = parseFormParams(body ?? {});
    const grantType = required(params, 'grant_type');
    const grant = this.grants.get(grantType);
    if (!grant) throw new UnsupportedGrantTypeError(`grant_type ${grantType} is not supported`);
    const requestId = correlationId(headers);
    for (let attempt = 1; ; attempt++) {
      // The client from the cache, guarded by its stream version; the last attempt reads it from the log,
      // guarded too: a client changed meanwhile never gets a token decided on its old metadata.
      const last = attempt >= MAX_ATTEMPTS;
      const { client, guard, cached } = await this.clients.authenticate(headers, params.raw, { fresh: last });
      try {
        if (!client.grantTypes.includes(grantType)) {
          throw new UnauthorizedClientError(`the client may not use grant_type ${grantType}`);
        }
        const meta = { now: this.clock(), actor: `client:${client.clientId}`, correlationId: requestId };
        const issued = await grant.handle(params, client, meta, guard ? [guard] : []);
        this.issued?.inc({ grant: grantType });
        return issued;
      } catch (err) {
        // A refusal from cached metadata, or the client changed before the append: look again, from the log.
        const moved = err instanceof ConcurrencyError && err.streamId === guard?.streamId;
        // Still changing after every attempt: the caller may retry (never a 500).
        if (moved && last) throw new InvalidRequestError('concurrent modification; retry');
        const stale = (cached && isMetadataRefusal(err)) || moved;
        if (!stale || last) throw err;
        this.clients.forget(client.clientId);
      }
    }
  }
}

/** Refusals that follow from the client's registered metadata (grant types, scope, resources). */
function isMetadataRefusal(err: unknown): boolean {
  return (
    err instanceof UnauthorizedClientError || err instanceof InvalidScopeError || err instanceof InvalidTargetError
  );
}

/** The caller's request id when it sent a sane one, else a fresh one. */
export function correlationId(headers: HeaderBag): string {
  const id = headers['x-request-id'];
  return typeof id === 'string' && /^[\w.-]{1,64}$/.test(id) ? id : randomUUID();
}
