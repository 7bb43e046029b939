import { Inject, Injectable } from '@nestjs/common';
import {
  AUTHORIZATION_CODE_CLAIMS_PURPOSE,
  type AuthorizationCodeClaims,
  type AuthorizationCodeIssuedData,
  authorizationCodeStream,
} from '@tessera/contracts';
import { ConcurrencyError, type EventStore } from '@tessera/event-store';
import { openWithToken } from '@tessera/keys';
import { InvalidGrantError } from '@tessera/oauth';
import { CONFIG, EVENT_STORE } from '@tessera/platform';
import type { RegisteredClient } from '../clients/registered-client';
import { IdTokenSigner } from '../id-tokens/id-token.signer';
import type { CommandMeta } from '../tokens/command-meta';
import type { StreamGuard } from '../tokens/token-ports';
import { tokenHandle } from '../tokens/opaque-token';
import { type IssuedTokens, TokenIssuer } from '../tokens/token-issuer.service';
import { resolveCodeAudience } from './audience-policy';
import {
  authorizationCodeFrom,
  checkVerifierSyntax,
  codeRedeemed,
  decideRedemption,
  type RedeemAuthorizationCode,
} from './authorization-code.decider';
import { CodeReplayRevoker } from './authorization-code.replay';
import type { Grant } from './grant';
import { type FormParams, required } from './token-params';

/** Prefix of authorization codes (brief 5: `tsr_ac_` + 256-bit base64url). */
const CODE_PREFIX = 'tsr_ac_';
/** A lost race is re-read once and is then a replay; more attempts only if the stream moved otherwise. */
const MAX_ATTEMPTS = 3;

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6) and OpenID Connect Core §3.1.3:
 * the code is single use by an append at its expected version, together with
 * the tokens it issues (DESIGN §2); a replay — or the loser of a concurrent
 * redemption — gets invalid_grant and revokes what the code issued (RFC 9700 §4.5).
 */
@Injectable()
export class AuthorizationCodeGrant implements Grant {
  readonly grantType = 'authorization_code';

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly issuer: TokenIssuer,
    private readonly idTokens: IdTokenSigner,
    private readonly replays: CodeReplayRevoker,
    @Inject(CONFIG) private readonly config: { issuer: string },
  ) {}

  async handle(
    params: FormParams,
    client: RegisteredClient,
    meta: CommandMeta,
    clientGuards: readonly StreamGuard[] = [],
  ): Promise<IssuedTokens> {
    const code = required(params, 'code');
    const codeVerifier = params.get('code_verifier');
    checkVerifierSyntax(codeVerifier);
    const redirectUri = params.get('redirect_uri');
    const request: RedeemAuthorizationCode = {
      clientId: client.clientId,
      // RFC 9700 §2.1.1: public clients always; the others unless registered with require_pkce false.
      pkceRequired: client.tokenEndpointAuthMethod === 'none' || client.requirePkce,
      ...(redirectUri !== undefined ? { redirectUri } : {}),
      ...(codeVerifier !== undefined ? { codeVerifier } : {}),
    };
    if (!code.startsWith(CODE_PREFIX)) throw new InvalidGrantError('authorization code is invalid');
    const stream = authorizationCodeStream(tokenHandle(code));
    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStream(stream);
      const decision = decideRedemption(authorizationCodeFrom(history), request, meta.now);
      if (decision.kind === 'replay') {
        await this.replays.revoke(decision.redeemed, meta);
        throw new InvalidGrantError('authorization code was already used; the tokens it issued are revoked');
      }
      try {
        return await this.redeem(code, decision.code, history.length, params, client, meta, clientGuards);
      } catch (err) {
        // Lost the race to a concurrent redemption: read again, and it is a replay (DESIGN §2).
        if (err instanceof ConcurrencyError && err.streamId === stream && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async redeem(
    value: string,
    code: AuthorizationCodeIssuedData,
    version: number,
    params: FormParams,
    client: RegisteredClient,
    meta: CommandMeta,
    clientGuards: readonly StreamGuard[],
  ): Promise<IssuedTokens> {
    const claims = openCodeClaims(value, code);
    const scopes = code.scope.split(' ').filter((s) => s.length > 0);
    // RFC 8707 §2.2: only a resource the authorization request named.
    const audience = resolveCodeAudience(
      client,
      code.resources,
      [...params.all('resource'), ...params.all('audience')],
      this.config.issuer,
    );
    const tokens = await this.issuer.issue({
      clientId: client.clientId,
      format: client.accessTokenFormat,
      sub: code.sub,
      scopes,
      audience: [audience],
      claims: claims.accessToken,
      // OIDC Core §11: a refresh token when offline access was granted to a client that may refresh.
      refreshToken: scopes.includes('offline_access') && client.grantTypes.includes('refresh_token'),
      ...(code.consentId !== undefined ? { consentId: code.consentId } : {}),
      // OIDC Core §12.2: what the family's refreshes repeat in their ID tokens.
      ...(scopes.includes('openid')
        ? {
            refreshIdToken: {
              claims: claims.idToken,
              authTime: code.authTime,
              acr: code.acr,
              amr: [...code.amr],
              sid: code.sessionHandle,
            },
          }
        : {}),
      // Spent in the same transaction as the tokens: of two concurrent redemptions one commits.
      alsoAppend: (issued) => [
        {
          streamId: authorizationCodeStream(code.handle),
          expectedVersion: version,
          events: [codeRedeemed(code, issued, meta)],
        },
      ],
      guards: clientGuards,
      meta,
    });
    // OIDC Core §3.1.3.3: an ID token when `openid` was granted.
    if (!scopes.includes('openid')) return tokens;
    const idToken = await this.idTokens.sign({
      sub: code.sub,
      clientId: client.clientId,
      authTime: code.authTime,
      acr: code.acr,
      amr: code.amr,
      ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
      sid: code.sessionHandle,
      accessToken: tokens.access_token,
      claims: claims.idToken,
      now: meta.now,
    });
    return { ...tokens, id_token: idToken };
  }
}

/** The claims sealed under the code (brief 5); a code whose seal does not open is no valid code. */
function openCodeClaims(value: string, code: AuthorizationCodeIssuedData): AuthorizationCodeClaims {
  try {
    const opened = openWithToken<Partial<AuthorizationCodeClaims>>(
      value,
      AUTHORIZATION_CODE_CLAIMS_PURPOSE,
      code.sealedClaims,
    );
    return { idToken: opened.idToken ?? {}, accessToken: opened.accessToken ?? {} };
  } catch {
    throw new InvalidGrantError('authorization code is invalid');
  }
}
