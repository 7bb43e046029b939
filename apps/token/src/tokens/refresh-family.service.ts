import { Inject, Injectable } from '@nestjs/common';
import {
  accessTokenStream,
  REFRESH_TOKEN_CLAIMS_PURPOSE,
  refreshFamilyStream,
  type RefreshTokenClaims,
  TokenEvents,
} from '@tessera/contracts';
import { ConcurrencyError, type EventStore } from '@tessera/event-store';
import { openWithToken, sealWithToken } from '@tessera/keys';
import { InvalidGrantError } from '@tessera/oauth';
import { EVENT_STORE } from '@tessera/platform';
import type { RegisteredClient } from '../clients/registered-client';
import { IdTokenSigner } from '../id-tokens/id-token.signer';
import type { CommandMeta } from './command-meta';
import type { StreamGuard } from './token-ports';
import { generateOpaqueToken, REFRESH_TOKEN_PREFIX, tokenHandle } from './opaque-token';
import { decideRefreshFamily, type RefreshFamilyCommand, refreshFamilyFrom } from './refresh-family.decider';
import { RefreshTokenLookup } from './refresh-token.lookup';
import { refreshTokenIssued } from './refresh-token.stream';
import { decideAndAppend } from './decide-and-append';
import { type IssuedTokens, TokenIssuer } from './token-issuer.service';

/** Loads refresh families, decides and appends with the expected version (DESIGN §2). */
@Injectable()
export class RefreshFamilies {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly lookup: RefreshTokenLookup,
    private readonly issuer: TokenIssuer,
    private readonly idTokens: IdTokenSigner,
  ) {}

  /** The family id a refresh token value belongs to, or null. */
  async familyOfToken(value: string): Promise<string | null> {
    if (!value.startsWith(REFRESH_TOKEN_PREFIX)) return null;
    return this.lookup.familyOf(tokenHandle(value));
  }

  /**
   * RFC 6749 §6 with rotation (RFC 9700 §4.14.2): spends the presented token
   * and issues a new refresh token and access token in one append. A spent
   * token presented again revokes the family and answers invalid_grant. Of
   * two concurrent uses the append with the expected version lets one win;
   * the loser re-reads, finds its token spent and is treated as replay.
   */
  async rotate(
    value: string,
    client: RegisteredClient,
    scope: string[] | undefined,
    meta: CommandMeta,
    guards: readonly StreamGuard[] = [],
  ): Promise<IssuedTokens> {
    const familyId = await this.familyOfToken(value);
    if (!familyId) throw new InvalidGrantError('refresh token is invalid');
    const stream = refreshFamilyStream(familyId);
    for (;;) {
      const events = await this.store.readStream(stream);
      const state = refreshFamilyFrom(events);
      const nextRefresh = generateOpaqueToken('refresh');
      const command: RefreshFamilyCommand = {
        type: 'RotateRefreshToken',
        presentedHandle: tokenHandle(value),
        clientId: client.clientId,
        scope,
        refreshHandle: tokenHandle(nextRefresh),
        accessTokenHandle: '',
      };
      // Decide once without the new access token to fail fast (invalid_grant, invalid_scope, reuse).
      const decided = decideRefreshFamily(state, command, meta);
      try {
        if (decided[0]?.type === TokenEvents.refreshFamilyRevoked) {
          await this.store.append(stream, events.length, decided);
          throw new InvalidGrantError('refresh token was already used; its family is revoked');
        }
        if (!state) throw new InvalidGrantError('refresh token is invalid');
        const granted = scope ?? state.scope;
        // DESIGN §2: the family's claims are sealed under its current token, the one presented (checked above).
        const claims = state.sealedClaims
          ? openWithToken<RefreshTokenClaims>(value, REFRESH_TOKEN_CLAIMS_PURPOSE, state.sealedClaims)
          : undefined;
        const access = await this.issuer.mint({
          clientId: client.clientId,
          format: client.accessTokenFormat,
          sub: state.sub,
          scopes: granted,
          audience: state.aud,
          familyId,
          ...(claims ? { claims: claims.accessToken } : {}),
          ...(state.consentId !== undefined ? { consentId: state.consentId } : {}),
          meta,
        });
        const sealedClaims = claims ? sealWithToken(nextRefresh, REFRESH_TOKEN_CLAIMS_PURPOSE, claims) : undefined;
        const rotated = decideRefreshFamily(
          state,
          { ...command, accessTokenHandle: access.handle, ...(sealedClaims ? { sealedClaims } : {}) },
          meta,
        );
        await this.store.appendMany([
          { streamId: stream, expectedVersion: events.length, events: rotated },
          { streamId: accessTokenStream(access.handle), expectedVersion: 0, events: [access.event] },
          refreshTokenIssued(command.refreshHandle, familyId, meta),
          // The client's stream version its authentication was based on: the append fails if it moved.
          ...guards.map((g) => ({ streamId: g.streamId, expectedVersion: g.version, events: [] })),
        ]);
        // OIDC Core §12.2: a new ID token for the original authentication, when `openid` is still granted.
        const idToken =
          claims?.idToken && granted.includes('openid')
            ? await this.idTokens.sign({
                ...claims.idToken,
                sub: state.sub,
                clientId: client.clientId,
                accessToken: access.value,
                now: meta.now,
              })
            : undefined;
        return {
          access_token: access.value,
          token_type: 'Bearer',
          expires_in: access.expiresIn,
          ...(granted.length > 0 ? { scope: granted.join(' ') } : {}),
          refresh_token: nextRefresh,
          ...(idToken !== undefined ? { id_token: idToken } : {}),
        };
      } catch (err) {
        // Lost the race: read again; the token is now spent, so this becomes a replay.
        if (err instanceof ConcurrencyError && err.streamId === stream) continue;
        throw err;
      }
    }
  }

  /** RFC 7009: revokes the family with every token it issued, if it belongs to this client. */
  async revoke(familyId: string, clientId: string, meta: CommandMeta): Promise<void> {
    await decideAndAppend(this.store, refreshFamilyStream(familyId), (history) =>
      decideRefreshFamily(
        refreshFamilyFrom([...history]),
        { type: 'RevokeRefreshFamily', clientId, reason: 'revoked_by_client' },
        meta,
      ),
    );
  }
}
