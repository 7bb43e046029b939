import { Inject, Injectable } from '@nestjs/common';
import { ClientDirectory } from '@tessera/clients';
import type { SessionState } from '@tessera/contracts';
import type { Database } from '@tessera/event-store';
import { SigningKeyDirectory } from '@tessera/keys';
import { CONFIG, DATABASE, type TesseraConfig } from '@tessera/platform';
import { SessionService } from '../sessions/session.service';
import { verifyIdTokenHint } from './id-token-hint';
import { authenticationSigningKeysProjection } from './signing-keys.projection';

/** The parameters of an RP-initiated logout request (OIDC RP-Initiated Logout 1.0 §2). */
export interface LogoutRequest {
  idTokenHint?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  clientId?: string;
}

/** What to do with it. */
export interface LogoutPlan {
  /** The RP's registered post-logout URI with `state`, or undefined: show the "signed out" page. */
  redirectTo?: string;
  /** True when the hint proves the RP asks for this very user's session: no confirmation needed (§2). */
  confirmed: boolean;
  /** Why a given post_logout_redirect_uri was ignored, for the page. */
  error?: string;
}

/** The registered `post_logout_redirect_uris` (metadata added by the token service; read defensively). */
export function postLogoutRedirectUris(metadata: unknown): string[] {
  const value = (metadata as Record<string, unknown> | null)?.post_logout_redirect_uris;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * RP-initiated logout: `post_logout_redirect_uri` is honoured only when it
 * exactly matches one the client registered, and the client is known from
 * `client_id` or the hint's `aud` (§2, §3). Ending a session appends `session.ended`.
 */
@Injectable()
export class LogoutService {
  private readonly keys: SigningKeyDirectory;
  private readonly issuer: string;

  constructor(
    private readonly clients: ClientDirectory,
    private readonly sessions: SessionService,
    @Inject(DATABASE) db: Database,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    // Every signer's public keys, in this service's own read model (DESIGN §5).
    this.keys = new SigningKeyDirectory(db, authenticationSigningKeysProjection.schema);
    this.issuer = config.mode === 'cli' ? '' : config.issuer;
  }

  /** Plans the logout for the browser's session (null when signed out already). */
  async plan(request: LogoutRequest, session: SessionState | null): Promise<LogoutPlan> {
    const hint = request.idTokenHint
      ? await verifyIdTokenHint(request.idTokenHint, await this.keys.all(), this.issuer)
      : null;
    const hintBad = request.idTokenHint !== undefined && hint === null;
    const aud = hint
      ? (Array.isArray(hint.aud) ? hint.aud : [hint.aud]).filter((a): a is string => typeof a === 'string')
      : [];
    if (request.clientId && aud.length > 0 && !aud.includes(request.clientId)) {
      return { confirmed: false, error: 'client_id does not match the ID token.' };
    }
    const clientId = request.clientId ?? (aud.length === 1 ? aud[0] : undefined);
    const confirmed = hint !== null && (session === null || hint.sub === session.sub);
    if (!request.postLogoutRedirectUri) return { confirmed };
    if (hintBad) return { confirmed, error: 'The ID token hint is not valid.' };
    const client = clientId ? await this.clients.get(clientId) : null;
    if (!client || !postLogoutRedirectUris(client.metadata).includes(request.postLogoutRedirectUri)) {
      return { confirmed, error: 'The post_logout_redirect_uri is not registered for this client.' };
    }
    const uri = request.postLogoutRedirectUri;
    const redirectTo = request.state
      ? `${uri}${uri.includes('?') ? '&' : '?'}${new URLSearchParams({ state: request.state }).toString()}`
      : uri;
    return { confirmed, redirectTo };
  }

  /** Ends the session. */
  async end(session: SessionState, now: Date): Promise<void> {
    await this.sessions.end(session, now, `user:${session.sub}`);
  }
}
