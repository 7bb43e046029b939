import { Inject, Injectable } from '@nestjs/common';
import { type ActClaim, accessTokenStream, TokenExchangeEvents, type TokenExchangedData } from '@tessera/contracts';
import { type AppendRequest, ConcurrencyError, type EventStore } from '@tessera/event-store';
import {
  ACCESS_TOKEN_TYPE,
  InvalidRequestError,
  InvalidScopeError,
  parseTokenExchangeRequest,
  type PresentedToken,
  TOKEN_EXCHANGE_GRANT_TYPE,
  type TokenExchangeRequest,
} from '@tessera/oauth';
import { CONFIG, EVENT_STORE } from '@tessera/platform';
import type { RegisteredClient } from '../clients/registered-client';
import { conflictBackoff, MAX_CONFLICT_ATTEMPTS } from '../token-exchange/conflict-backoff';
import { decideAfterConflict } from '../token-exchange/exchange-conflict.decider';
import { type LoadedToken, type LoadOptions, PresentedTokenLoader } from '../token-exchange/presented-token.loader';
import { allowanceFor, decideExchange } from '../token-exchange/token-exchange.decider';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';
import { SCOPE_REQUIREMENTS, type ScopeRequirements, type StreamGuard } from '../tokens/token-ports';
import { type IssuedTokens, type MintedAccessToken, TokenIssuer } from '../tokens/token-issuer.service';
import type { Grant } from './grant';
import type { FormParams } from './token-params';

/** One decided exchange: the minted token and its audit record, to append at the subject's `version`. */
interface DecidedExchange {
  subject: LoadedToken;
  /** The subject stream's version the append expects (moves forward past sibling exchanges). */
  version: number;
  access: MintedAccessToken;
  /** The scopes the token carries (their cached definitions are forgotten when a guard fails). */
  granted: readonly string[];
  /** The granted scopes' stream versions the minted token's required claims were taken from. */
  scopeGuards: readonly StreamGuard[];
  exchanged: TokenExchangedData;
  meta: CommandMeta;
}

/**
 * RFC 8693 token exchange: a service trades a token it received for a
 * narrower one (one audience, scope ⊆ subject ∩ its policy, `act` chain) to
 * call another service (DESIGN §5). The new token is an RFC 9068 JWT, in the
 * log with its parent's handle; the parent's stream records the exchange
 * (`token.exchanged`, the audit record and the lineage link) with the expected
 * version, so a revocation of the subject and an exchange from it cannot both
 * succeed, and the revocation cascade finds every child on the parent's stream.
 *
 * Concurrent exchanges of ONE subject (a service fanning out downstream calls
 * with one user's token) race on that stream. A lost race is not a refusal:
 * when the parent's stream only gained sibling `token.exchanged` events, the
 * subject is unchanged, so the same decision and minted token are appended
 * again at the new version (each round one racer wins: n racers need ≤ n
 * rounds). Anything else there (a revocation) is decided again from a fresh
 * read, which refuses a revoked subject with `invalid_request` (§2.2.2).
 */
@Injectable()
export class TokenExchangeGrant implements Grant {
  readonly grantType = TOKEN_EXCHANGE_GRANT_TYPE;

  constructor(
    private readonly tokens: PresentedTokenLoader,
    private readonly issuer: TokenIssuer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: { issuer: string },
    @Inject(SCOPE_REQUIREMENTS) private readonly scopes: Pick<ScopeRequirements, 'getGuarded' | 'forget'>,
  ) {}

  async handle(
    params: FormParams,
    client: RegisteredClient,
    meta: CommandMeta,
    clientGuards: readonly StreamGuard[] = [],
  ): Promise<IssuedTokens> {
    const request = parseTokenExchangeRequest(params);
    allowanceFor(client.tokenExchangePolicy, request.target); // invalid_target before any read
    let exchange = await this.decide(request, client, meta);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.appendMany([
          ...appendsOf(exchange),
          ...guardAppends([...exchange.scopeGuards, ...clientGuards]),
        ]);
        this.tokens.appended(exchange.subject.handle, exchange.version + 1);
        break;
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
        // The client changed: the token endpoint decides again with it.
        if (clientGuards.some((g) => g.streamId === err.streamId)) throw err;
        // RFC 8693 §2.2.2: still racing (the subject or its family) after every attempt: retryable, not invalid_grant.
        if (attempt >= MAX_CONFLICT_ATTEMPTS) throw new InvalidRequestError('concurrent modification; retry');
        if (exchange.scopeGuards.some((g) => g.streamId === err.streamId)) {
          // A granted scope was redefined meanwhile: decide again from its definition in the log.
          this.scopes.forget(exchange.granted);
          exchange = await this.decide(request, client, meta);
          continue;
        }
        await conflictBackoff(attempt);
        const read = exchange.version;
        const parentStream = accessTokenStream(exchange.subject.handle);
        const since = (await this.store.readStream(parentStream, read + 1)).filter((e) => e.streamVersion > read);
        if (decideAfterConflict(since) === 'append-again') {
          exchange = { ...exchange, version: since[since.length - 1].streamVersion };
        } else {
          this.tokens.forget(exchange.subject.handle);
          exchange = await this.decide(request, client, meta, { fresh: true });
        }
      }
    }
    // RFC 8693 §2.2.1: no refresh token; the issued token's type.
    return {
      access_token: exchange.access.value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: exchange.access.expiresIn,
      scope: exchange.exchanged.scope,
    };
  }

  /**
   * Reads the subject (and actor), applies the policy and mints the new token (not yet in the log).
   * The subject and the granted scopes' definitions may come from caches: the append expects their
   * stream versions, so it fails if either moved. A refusal of a required claim made from a cached
   * scope definition is checked again from the log before it is answered.
   */
  private async decide(
    request: TokenExchangeRequest,
    client: RegisteredClient,
    meta: CommandMeta,
    options: LoadOptions = {},
  ): Promise<DecidedExchange> {
    const subject = await this.tokens.load(request.subject, 'subject_token', meta.now, options);
    const actor = request.actor ? await this.actorOf(request.actor, client, meta.now) : client.clientId;
    const decision = decideExchange({
      policy: client.tokenExchangePolicy,
      target: request.target,
      ...(request.scope ? { scope: request.scope } : {}),
      subject: {
        scopes: splitScope(subject.state.scope),
        ...(subject.state.act ? { act: subject.state.act as ActClaim } : {}),
        expiresAt: subject.state.expiresAt,
      },
      actor,
      issuer: this.config.issuer,
      now: meta.now,
    });
    const mint = async (): Promise<{ access: MintedAccessToken; scopeGuards: StreamGuard[] }> => {
      const scopes = await this.scopes.getGuarded(decision.granted);
      try {
        const access = await this.issuer.mint({
          clientId: client.clientId,
          format: 'jwt',
          sub: subject.state.sub,
          scopes: decision.granted,
          scopeRequirements: scopes.requirements,
          audience: [decision.audience],
          claims: subject.claims,
          act: decision.act,
          parentHandle: subject.handle,
          notAfter: decision.notAfter,
          meta,
        });
        return { access, scopeGuards: scopes.guards };
      } catch (err) {
        // A required claim refused on a cached definition: look again in the log before answering.
        if (!(err instanceof InvalidScopeError) || scopes.fresh) throw err;
        this.scopes.forget(decision.granted);
        return mint();
      }
    };
    const { access, scopeGuards } = await mint();
    const exchanged: TokenExchangedData = {
      handle: access.handle,
      parentHandle: subject.handle,
      ...(subject.state.familyId !== undefined ? { parentFamilyId: subject.state.familyId } : {}),
      clientId: client.clientId,
      sub: subject.state.sub,
      act: decision.act,
      audience: decision.audience,
      scope: decision.granted.join(' '),
      droppedScopes: decision.dropped,
      exchangedAt: meta.now.toISOString(),
      expiresAt: String(access.event.data.expiresAt),
    };
    return { subject, version: subject.version, access, granted: decision.granted, scopeGuards, exchanged, meta };
  }

  /** RFC 8693 §2.1: the actor token is the calling service's own live token; its `sub` is the new actor. */
  private async actorOf(presented: PresentedToken, client: RegisteredClient, now: Date): Promise<string> {
    // Nothing in the append guards the actor's stream: read it from the log every time.
    const actor = await this.tokens.load(presented, 'actor_token', now, { fresh: true });
    if (actor.state.clientId !== client.clientId) {
      throw new InvalidRequestError('actor_token was not issued to the calling client');
    }
    // Only the client's own (client_credentials) token names the client: a user's token it holds must not
    // make that user the actor.
    if (actor.state.sub !== client.clientId) {
      throw new InvalidRequestError('actor_token must be the calling client’s own token');
    }
    return actor.state.sub;
  }
}

/** The client guards as requests without events: the append fails if the client moved. */
function guardAppends(guards: readonly StreamGuard[]): AppendRequest[] {
  return guards.map((g) => ({ streamId: g.streamId, expectedVersion: g.version, events: [] }));
}

/** The new token's stream, the lineage link on the parent's at `version`, and the family guard: all or nothing. */
function appendsOf(exchange: DecidedExchange): AppendRequest[] {
  const { subject, access, exchanged, meta } = exchange;
  const guard = subject.familyGuard;
  return [
    { streamId: accessTokenStream(access.handle), expectedVersion: 0, events: [access.event] },
    {
      streamId: accessTokenStream(subject.handle),
      expectedVersion: exchange.version,
      events: [{ type: TokenExchangeEvents.tokenExchanged, data: { ...exchanged }, metadata: eventMetadata(meta) }],
    },
    ...(guard ? [{ streamId: guard.streamId, expectedVersion: guard.version, events: [] }] : []),
  ];
}

function splitScope(scope: string): string[] {
  return scope.split(' ').filter((s) => s.length > 0);
}
