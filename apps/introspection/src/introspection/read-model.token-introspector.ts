import { Inject, Injectable, Optional } from '@nestjs/common';
import { METRICS } from '@tessera/platform';
import { introspectionCacheCounter } from '@tessera/telemetry';
import type { Counter, Registry } from 'prom-client';
import type { ActiveToken, TokenIntrospector } from './active-token';
import { CLOCK, type Clock } from './clock';
import { HotTokenCache } from './hot-token.cache';
import { activeToken } from './loaded-token';
import { handleOf } from './token-handle';
import { TokenReadModel } from './token-read-model';

/**
 * The TokenIntrospector of the introspection service (issue 4 §2): the hot
 * cache first, then the read model with read-through on miss. A token is
 * active iff known, not revoked, its family not revoked and not expired.
 */
@Injectable()
export class ReadModelTokenIntrospector implements TokenIntrospector {
  private readonly cacheLookups?: Counter<'result'>;

  constructor(
    private readonly readModel: TokenReadModel,
    private readonly cache: HotTokenCache,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(METRICS) metrics?: Registry,
  ) {
    if (metrics) this.cacheLookups = introspectionCacheCounter(metrics);
  }

  async introspect(token: string): Promise<ActiveToken | null> {
    const handle = handleOf(token);
    if (handle === null) return null;
    let now = this.clock();
    if (this.cache.isRevoked(handle, now)) {
      this.cacheLookups?.inc({ result: 'hit' });
      return null;
    }
    let loaded = this.cache.fresh(handle, now);
    this.cacheLookups?.inc({ result: loaded === null ? 'miss' : 'hit' });
    if (loaded === null) {
      loaded = await this.readModel.load(handle);
      // Unknown is not cached: the next lookup must see a token issued meanwhile (DESIGN §4).
      if (loaded === null) return null;
      now = this.clock();
      this.cache.remember(handle, loaded, now);
      // A revocation message may have arrived while the read model answered what it knew before.
      if (this.cache.isRevoked(handle, now)) return null;
    }
    return activeToken(loaded, Math.floor(now / 1000), token);
  }
}
