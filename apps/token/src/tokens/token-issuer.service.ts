import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ACCESS_TOKEN_CLAIMS_PURPOSE,
  type ActClaim,
  accessTokenStream,
  type AccessTokenFormat,
  type AccessTokenIssuedData,
  REFRESH_TOKEN_CLAIMS_PURPOSE,
  refreshFamilyStream,
  type RefreshIdTokenContext,
  type RefreshTokenClaims,
  TokenEvents,
} from '@tessera/contracts';
import type { AppendRequest, EventStore, NewEvent } from '@tessera/event-store';
import { sealWithToken } from '@tessera/keys';
import { InvalidScopeError } from '@tessera/oauth';
import { CONFIG, EVENT_STORE, type TesseraConfig } from '@tessera/platform';
import { type CommandMeta, eventMetadata } from './command-meta';
import { generateOpaqueToken, tokenHandle } from './opaque-token';
import { refreshTokenIssued } from './refresh-token.stream';
import { decideRefreshFamily } from './refresh-family.decider';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_FAMILY_TTL_SECONDS } from './token-lifetimes';
import {
  ACCESS_TOKEN_SIGNER,
  type AccessTokenSigner,
  SCOPE_REQUIREMENTS,
  type ScopeRequirement,
  type ScopeRequirements,
  type StreamGuard,
} from './token-ports';

/** What to issue (grant-independent, so the authorization_code grant of issue 5 reuses it). */
export interface IssueRequest {
  clientId: string;
  format: AccessTokenFormat;
  /** The resource owner, or the client id for client credentials (RFC 9068 §2.2). */
  sub: string;
  scopes: readonly string[];
  /** The resource servers the token is for (RFC 8707); at least one. */
  audience: readonly string[];
  /** The subject's claims; each scope's required claims are taken from here (DESIGN §5). */
  claims?: Readonly<Record<string, unknown>>;
  /** Also start a refresh token family. */
  refreshToken?: boolean;
  /**
   * The scopes' requirements when the caller already looked them up for
   * exactly `scopes` in this request (one catalogue read per issuance); read
   * here when absent.
   */
  scopeRequirements?: readonly ScopeRequirement[];
  /**
   * Stream versions the decision to issue was based on (e.g. cached scope
   * definitions): appended with the token as requests without events, so the
   * append fails with ConcurrencyError, issuing nothing, if one has moved.
   */
  guards?: readonly StreamGuard[];
  /** The consent that allowed the grant (authorization code): recorded on the token and family (issue 5). */
  consentId?: string;
  /** RFC 8693 §4.1: the delegation chain of an exchanged token (JWT claim and log). */
  act?: ActClaim;
  /** RFC 8693 lineage: the subject token an exchanged token comes from (log only). */
  parentHandle?: string;
  /** The token expires no later than this (an exchanged token: ≤ its subject token, RFC 8693 §2.2.1). */
  notAfter?: Date;
  /**
   * Appends that must commit with the tokens or not at all, e.g. the
   * authorization code's redemption at its expected version (DESIGN §2).
   */
  alsoAppend?: (issued: { accessTokenHandle: string; familyId?: string }) => AppendRequest[];
  /** The authentication an `openid` refresh family repeats in the ID token of each refresh (OIDC Core §12.2). */
  refreshIdToken?: RefreshIdTokenContext;
  meta: CommandMeta;
}

/** The token response fields (RFC 6749 §5.1). */
export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  /** Absent when no scope was granted (RFC 6749 §5.1: OPTIONAL). */
  scope?: string;
  refresh_token?: string;
  /** OIDC Core §3.1.3.3: with the authorization code grant when `openid` was granted. */
  id_token?: string;
  /** RFC 8693 §2.2.1: with token exchange, the type of the issued token. */
  issued_token_type?: string;
}

/** An access token minted but not yet in the log. */
export interface MintedAccessToken {
  value: string;
  handle: string;
  event: NewEvent;
  expiresIn: number;
  /** The claims it releases (its scopes' required claims), in clear for the caller only. */
  claims: Record<string, unknown>;
}

/**
 * Issues access tokens (reference or RFC 9068 JWT) and refresh families,
 * appending their events in one transaction: a token exists only once the
 * log has it, and the log never holds its value (DESIGN §2, §5).
 */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Pick<TesseraConfig & { issuer: string }, 'issuer'>,
    @Inject(ACCESS_TOKEN_SIGNER) private readonly signer: AccessTokenSigner,
    @Inject(SCOPE_REQUIREMENTS) private readonly scopes: Pick<ScopeRequirements, 'get'>,
  ) {}

  /** Issues the tokens and appends their events; throws InvalidScopeError when a required claim is missing. */
  async issue(request: IssueRequest): Promise<IssuedTokens> {
    const access = await this.mint(request);
    const appends: AppendRequest[] = [
      { streamId: accessTokenStream(access.handle), expectedVersion: 0, events: [access.event] },
      ...(request.guards ?? []).map((g) => ({ streamId: g.streamId, expectedVersion: g.version, events: [] })),
    ];
    let refreshToken: string | undefined;
    if (request.refreshToken) {
      refreshToken = generateOpaqueToken('refresh');
      const familyId = String(access.event.data.familyId);
      const { now } = request.meta;
      const started = decideRefreshFamily(
        null,
        {
          type: 'StartRefreshFamily',
          data: {
            familyId,
            clientId: request.clientId,
            sub: request.sub,
            scope: request.scopes.join(' '),
            aud: [...request.audience],
            refreshHandle: tokenHandle(refreshToken),
            accessTokenHandle: access.handle,
            expiresAt: new Date(now.getTime() + REFRESH_FAMILY_TTL_SECONDS * 1000).toISOString(),
            ...(request.consentId !== undefined ? { consentId: request.consentId } : {}),
            // DESIGN §2: the claims rotations need, readable only with the refresh token.
            ...(Object.keys(access.claims).length > 0 || request.refreshIdToken
              ? {
                  sealedClaims: sealWithToken(refreshToken, REFRESH_TOKEN_CLAIMS_PURPOSE, {
                    accessToken: access.claims,
                    ...(request.refreshIdToken ? { idToken: request.refreshIdToken } : {}),
                  } satisfies RefreshTokenClaims),
                }
              : {}),
          },
        },
        request.meta,
      );
      appends.push(
        { streamId: refreshFamilyStream(familyId), expectedVersion: 0, events: started },
        refreshTokenIssued(tokenHandle(refreshToken), familyId, request.meta),
      );
    }
    if (request.alsoAppend) {
      const familyId = access.event.data.familyId as string | undefined;
      appends.push(...request.alsoAppend({ accessTokenHandle: access.handle, ...(familyId ? { familyId } : {}) }));
    }
    await this.store.appendMany(appends);
    return {
      access_token: access.value,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      ...(request.scopes.length > 0 ? { scope: request.scopes.join(' ') } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }

  /**
   * Makes an access token and its `access-token.issued` event without
   * appending (the refresh grant appends it with the rotation). A new family
   * id is chosen when `refreshToken` is set and no `familyId` is given.
   */
  async mint(request: IssueRequest & { familyId?: string }): Promise<MintedAccessToken> {
    if (request.audience.length === 0) throw new Error('an access token needs an audience (RFC 9068 §2.2)');
    const requirements = request.scopeRequirements ?? (await this.scopes.get(request.scopes));
    const claims = requiredClaims(requirements, request.claims ?? {});
    const { now } = request.meta;
    const iat = Math.floor(now.getTime() / 1000);
    const ttl = ACCESS_TOKEN_TTL_SECONDS;
    const exp = request.notAfter ? Math.min(iat + ttl, Math.floor(request.notAfter.getTime() / 1000)) : iat + ttl;
    const jti = randomUUID();
    const scope = request.scopes.join(' ');
    const value =
      request.format === 'jwt'
        ? await this.signer.sign(
            {
              ...claims,
              iss: this.config.issuer,
              sub: request.sub,
              aud: request.audience.length === 1 ? request.audience[0] : [...request.audience],
              client_id: request.clientId,
              scope,
              jti,
              iat,
              exp,
              ...(request.act ? { act: request.act } : {}),
            },
            { typ: 'at+jwt' }, // RFC 9068 §2.1
          )
        : generateOpaqueToken('access');
    const handle = tokenHandle(value);
    const familyId = request.familyId ?? (request.refreshToken ? randomUUID() : undefined);
    const data: AccessTokenIssuedData = {
      handle,
      clientId: request.clientId,
      sub: request.sub,
      scope,
      aud: [...request.audience],
      format: request.format,
      jti,
      issuedAt: new Date(iat * 1000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
      ...(familyId ? { familyId } : {}),
      ...(request.consentId !== undefined ? { consentId: request.consentId } : {}),
      ...(request.act ? { act: request.act } : {}),
      ...(request.parentHandle !== undefined ? { parentHandle: request.parentHandle } : {}),
      // DESIGN §2: claims about a person never travel in clear in the log; the token's holder can open them.
      ...(Object.keys(claims).length > 0
        ? { sealedClaims: sealWithToken(value, ACCESS_TOKEN_CLAIMS_PURPOSE, claims) }
        : {}),
    };
    const event: NewEvent = {
      type: TokenEvents.accessTokenIssued,
      data: { ...data },
      metadata: eventMetadata(request.meta),
    };
    return { value, handle, event, expiresIn: exp - iat, claims };
  }
}

/** DESIGN §5: a token for a scope carries the scope's required claims, or is not issued. */
function requiredClaims(
  requirements: readonly ScopeRequirement[],
  claims: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const requirement of requirements) {
    const missing = requirement.requiredClaims.filter((c) => claims[c] === undefined);
    if (missing.length > 0) {
      throw new InvalidScopeError(`scope ${requirement.name} requires claims the subject lacks: ${missing.join(', ')}`);
    }
    for (const c of requirement.requiredClaims) picked[c] = claims[c];
  }
  return picked;
}
