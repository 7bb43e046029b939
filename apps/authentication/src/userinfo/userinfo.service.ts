import { Inject, Injectable } from '@nestjs/common';
import { accessTokenStream, refreshFamilyStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { standardClaimsFor } from '../authorize/code-claims';
import { bearerHandle } from '../sessions/bearer-value';
import { UserDirectory } from '../users/user.directory';
import { liveAccessToken } from './access-token.state';

/**
 * OIDC Core §5.3: the user's claims for a live access token with the `openid`
 * scope, from the log (the token's own stream, exact the instant it was
 * issued) and the user directory. Null for anything else (→ 401 invalid_token).
 */
@Injectable()
export class UserinfoService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly users: UserDirectory,
  ) {}

  /** The claims, or null when the token is not a live user token with `openid`. */
  async claims(token: string, now: Date): Promise<Record<string, unknown> | null> {
    if (!token.startsWith('tsr_at_') || token.length > 200) return null;
    const tokenEvents = await this.store.readStream(accessTokenStream(bearerHandle(token)));
    const first = tokenEvents[0]?.data as { familyId?: string } | undefined;
    const familyEvents = first?.familyId ? await this.store.readStream(refreshFamilyStream(first.familyId)) : [];
    const issued = liveAccessToken(tokenEvents, familyEvents, now);
    if (issued === null) return null;
    const scopes = issued.scope.split(' ');
    if (!scopes.includes('openid')) return null;
    const user = await this.users.get(issued.sub);
    if (user === null || !user.active) return null;
    return { sub: user.id, ...standardClaimsFor(user, scopes) };
  }
}
