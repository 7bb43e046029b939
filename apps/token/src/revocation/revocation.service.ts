import { Inject, Injectable } from '@nestjs/common';
import { accessTokenStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { decideAccessToken, evolveAccessToken, type AccessTokenState } from '../tokens/access-token.decider';
import type { CommandMeta } from '../tokens/command-meta';
import { decideAndAppend } from '../tokens/decide-and-append';
import { tokenHandle } from '../tokens/opaque-token';
import { RefreshFamilies } from '../tokens/refresh-family.service';

/**
 * RFC 7009 §2.1: revokes an access or refresh token of the requesting client.
 * `token_type_hint` is not trusted: the token is looked up as both kinds.
 * An unknown token or one of another client changes nothing (§2.2: still 200).
 */
@Injectable()
export class RevocationService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly families: RefreshFamilies,
  ) {}

  async revoke(token: string, clientId: string, meta: CommandMeta): Promise<void> {
    const familyId = await this.families.familyOfToken(token);
    // A refresh token: the family and every access token it issued, in one event (DESIGN §5).
    if (familyId) return this.families.revoke(familyId, clientId, meta);
    await this.revokeAccessToken(tokenHandle(token), clientId, meta);
  }

  private async revokeAccessToken(handle: string, clientId: string, meta: CommandMeta): Promise<void> {
    await decideAndAppend(this.store, accessTokenStream(handle), (history) =>
      history.length === 0
        ? []
        : decideAccessToken(
            history.reduce<AccessTokenState | null>(evolveAccessToken, null),
            { type: 'RevokeAccessToken', clientId },
            meta,
          ),
    );
  }
}
