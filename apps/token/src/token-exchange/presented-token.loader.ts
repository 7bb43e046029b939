import { Inject, Injectable, Optional } from '@nestjs/common';
import { ACCESS_TOKEN_CLAIMS_PURPOSE, accessTokenStream, refreshFamilyStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { openWithToken } from '@tessera/keys';
import { InvalidRequestError, JWT_TOKEN_TYPE, type PresentedToken } from '@tessera/oauth';
import { EVENT_STORE } from '@tessera/platform';
import { type AccessTokenState, evolveAccessToken } from '../tokens/access-token.decider';
import { tokenHandle } from '../tokens/opaque-token';
import { refreshFamilyFrom } from '../tokens/refresh-family.decider';
import type { StreamGuard } from '../tokens/token-ports';
import { ISSUER_JWT_CHECK, type IssuerJwtCheck } from './issuer-jwt.verifier';
import { PHANTOM_JWT_CHECK, type PhantomJwtCheck } from './phantom-jwt.verifier';

/** A live token presented to the exchange, as its own stream (and its family's) tell it. */
export interface LoadedToken {
  handle: string;
  state: AccessTokenState;
  /** Its stream's version: the exchange appends to it at this version (lineage, race-free). */
  version: number;
  /** Its refresh family's version when it has one: appended as a guard, so a revocation meanwhile wins. */
  familyGuard?: StreamGuard;
  /** The claims it releases, opened with the presented value (DESIGN §2). */
  claims: Record<string, unknown>;
}

const JWS_COMPACT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Subject tokens whose fold the loader keeps (a service exchanges its callers' tokens again and again). */
const MAX_CACHED_TOKENS = 20_000;

/** How a presented token is loaded: `fresh` reads the log even when the token is cached. */
export interface LoadOptions {
  fresh?: boolean;
}

/**
 * Looks a presented token up by handle in the log (exact, DESIGN §4) and
 * refuses, with `invalid_request` (RFC 8693 §2.2.2), one that is unknown,
 * forged, of another type than declared, expired or revoked (itself or its
 * refresh family). A phantom JWT (not in the log under its own handle) is
 * loaded as the reference token it stands for (`PhantomJwtVerifier`).
 */
@Injectable()
export class PresentedTokenLoader {
  /**
   * Loaded reference and JWT tokens by handle, at the stream versions they were folded at (issue 6
   * benchmark: no read of the subject's growing stream per exchange). Exact only with the exchange's
   * append, which expects exactly these versions of the subject's stream and of its family: a
   * revocation meanwhile fails that append, and the grant then loads `fresh`. Keyed by the SHA-256
   * handle of the presented value, so an entry is only found by whoever holds the token.
   */
  private readonly cache = new Map<string, LoadedToken>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ISSUER_JWT_CHECK) private readonly jwt: IssuerJwtCheck,
    @Optional() @Inject(PHANTOM_JWT_CHECK) private readonly phantoms?: PhantomJwtCheck,
  ) {}

  async load(presented: PresentedToken, param: string, now: Date, options: LoadOptions = {}): Promise<LoadedToken> {
    const looksJwt = JWS_COMPACT.test(presented.token);
    if (presented.type === JWT_TOKEN_TYPE && !looksJwt) throw new InvalidRequestError(`${param} is not a JWT`);
    const handle = tokenHandle(presented.token);
    const cached = options.fresh ? undefined : this.cache.get(handle);
    if (cached) {
      if (presented.type === JWT_TOKEN_TYPE && cached.state.format !== 'jwt') {
        throw new InvalidRequestError(`${param} is not a JWT`);
      }
      this.refuseDead(cached.state, param, now);
      return cached;
    }
    const loaded = await this.loadFromLog(presented, handle, looksJwt, param, now);
    // Phantom JWTs stand for another token (their handle is not the presented value's): not cached.
    if (loaded.handle === handle) this.remember(loaded);
    return loaded;
  }

  /** The exchange appended at `version` - 1 on the token's stream: the cached fold moves with it. */
  appended(handle: string, version: number): void {
    const cached = this.cache.get(handle);
    if (cached && cached.version === version - 1) this.cache.set(handle, { ...cached, version });
    else this.cache.delete(handle);
  }

  /** Drops a cached token (its append lost a race to something other than a sibling exchange). */
  forget(handle: string): void {
    this.cache.delete(handle);
  }

  private remember(loaded: LoadedToken): void {
    if (this.cache.size >= MAX_CACHED_TOKENS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(loaded.handle, loaded);
  }

  private async loadFromLog(
    presented: PresentedToken,
    handle: string,
    looksJwt: boolean,
    param: string,
    now: Date,
  ): Promise<LoadedToken> {
    const events = await this.store.readStream(accessTokenStream(handle));
    if (events.length === 0 && looksJwt && this.phantoms) return this.loadPhantom(presented.token, param, now);
    const state = events.reduce<AccessTokenState | null>(evolveAccessToken, null);
    if (!state) throw new InvalidRequestError(`${param} is invalid`);
    if (presented.type === JWT_TOKEN_TYPE && state.format !== 'jwt') {
      throw new InvalidRequestError(`${param} is not a JWT`);
    }
    // A JWT the log knows was signed by us, unless the log or the keys were tampered with: check anyway.
    if (state.format === 'jwt' && !(looksJwt && (await this.jwt.verify(presented.token)))) {
      throw new InvalidRequestError(`${param} is invalid`);
    }
    return this.live(handle, state, events.length, releasedClaims(state, presented.token, param), param, now);
  }

  /**
   * A phantom JWT the gateway minted (issue 4 §3) stands for its reference token: the exchange reads
   * that token's stream, so revoking the reference token revokes what is exchanged here (lineage), and
   * nothing outlives the phantom JWT itself. Its claims are the ones the introspection service released.
   */
  private async loadPhantom(value: string, param: string, now: Date): Promise<LoadedToken> {
    const phantom = await this.phantoms!.verify(value);
    if (!phantom) throw new InvalidRequestError(`${param} is invalid`);
    const events = await this.store.readStream(accessTokenStream(phantom.referenceHandle));
    const reference = events.reduce<AccessTokenState | null>(evolveAccessToken, null);
    const matches = reference?.format !== 'jwt' && reference?.sub === phantom.sub;
    if (!reference || !matches || reference.clientId !== phantom.clientId) {
      throw new InvalidRequestError(`${param} is invalid`);
    }
    const expiresAt = Math.min(phantom.exp * 1000, Date.parse(reference.expiresAt));
    const state = { ...reference, expiresAt: new Date(expiresAt).toISOString() };
    return this.live(phantom.referenceHandle, state, events.length, phantom.claims, param, now);
  }

  /** RFC 8693 §2.2.2: a revoked or expired token (or refresh family) is refused. */
  private async live(
    handle: string,
    state: AccessTokenState,
    version: number,
    claims: Record<string, unknown>,
    param: string,
    now: Date,
  ): Promise<LoadedToken> {
    this.refuseDead(state, param, now);
    let familyGuard: StreamGuard | undefined;
    if (state.familyId !== undefined) {
      const streamId = refreshFamilyStream(state.familyId);
      const family = await this.store.readStream(streamId);
      if (refreshFamilyFrom(family)?.revoked) throw new InvalidRequestError(`${param} was revoked`);
      familyGuard = { streamId, version: family.length };
    }
    return { handle, state, version, ...(familyGuard ? { familyGuard } : {}), claims };
  }

  private refuseDead(state: AccessTokenState, param: string, now: Date): void {
    if (state.revoked) throw new InvalidRequestError(`${param} was revoked`);
    if (Date.parse(state.expiresAt) <= now.getTime()) throw new InvalidRequestError(`${param} expired`);
  }
}

function releasedClaims(state: AccessTokenState, value: string, param: string): Record<string, unknown> {
  if (state.sealedClaims === undefined) return {};
  try {
    return openWithToken<Record<string, unknown>>(value, ACCESS_TOKEN_CLAIMS_PURPOSE, state.sealedClaims);
  } catch {
    throw new InvalidRequestError(`${param} is invalid`);
  }
}
