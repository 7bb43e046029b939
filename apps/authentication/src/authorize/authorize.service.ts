import { Inject, Injectable } from '@nestjs/common';
import { ClientDirectory, type RegisteredClient } from '@tessera/clients';
import {
  AUTHORIZATION_CODE_CLAIMS_PURPOSE,
  AuthorizationEvents,
  type AuthorizationCodeIssuedData,
  type AuthorizationRequestCompletedData,
  authorizationCodeStream,
  authorizationRequestStream,
  consentStream,
  foldConsent,
  type SessionState,
} from '@tessera/contracts';
import { ConcurrencyError, type EventStore } from '@tessera/event-store';
import { sealWithToken } from '@tessera/keys';
import { CONFIG, EVENT_STORE, type TesseraConfig } from '@tessera/platform';
import { bearerHandle, CODE_PREFIX, generateBearerValue, randomId } from '../sessions/bearer-value';
import { SessionService } from '../sessions/session.service';
import { UserDirectory } from '../users/user.directory';
import { type ConsentView, decideContinue } from './authorization-flow.decider';
import type { AuthorizationRequestState } from './authorization-request.state';
import { AuthorizationRequestRepository } from './authorization-request.repository';
import {
  type AuthorizeClient,
  type AuthorizeParams,
  validateAuthorizationRequest,
} from './authorization-request.validator';
import { codeResponseUrl, errorResponseUrl } from './authorization-response';
import { codeClaims } from './code-claims';

/** Lifetime of an authorization code (brief 5: 60 s; RFC 6749 §4.1.2 recommends ≤ 10 min). */
export const CODE_TTL_MS = 60 * 1000;

/** What the controller sends. */
export type AuthorizeAnswer =
  { kind: 'page'; status: number; message: string } | { kind: 'redirect'; location: string };

/** The validator's view of a registered client (metadata read defensively: G3 adds `require_pkce`). */
export function authorizeClientOf(client: RegisteredClient): AuthorizeClient {
  const metadata = client.metadata as unknown as Record<string, unknown>;
  return {
    clientId: client.clientId,
    grantTypes: client.grantTypes,
    responseTypes: Array.isArray(metadata.response_types) ? (metadata.response_types as string[]) : [],
    redirectUris: client.redirectUris,
    scopes: client.scopes,
    isPublic: client.tokenEndpointAuthMethod === 'none',
    requirePkce: metadata.require_pkce !== false,
  };
}

/**
 * `/oauth/authorize` and its continuation (brief 5 "Flow"): validate and record
 * the request, then — once signed in and consented — issue a single code
 * bound to client, redirect URI, PKCE challenge and session.
 */
@Injectable()
export class AuthorizeService {
  private readonly issuer: string;

  constructor(
    private readonly clients: ClientDirectory,
    private readonly requests: AuthorizationRequestRepository,
    private readonly sessions: SessionService,
    private readonly users: UserDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    this.issuer = config.mode === 'cli' ? '' : config.issuer;
  }

  /** RFC 6749 §4.1.1: a new authorization request. */
  async authorize(params: AuthorizeParams, sessionCookie: string | undefined, now: Date): Promise<AuthorizeAnswer> {
    const clientId =
      typeof params.client_id === 'string' && params.client_id.length <= 256 ? params.client_id : undefined;
    const client = clientId ? await this.clients.get(clientId) : null;
    const outcome = validateAuthorizationRequest(params, client && authorizeClientOf(client), randomId(), now);
    if (outcome.kind === 'error-page') return { kind: 'page', status: 400, message: outcome.message };
    if (outcome.kind === 'redirect-error') {
      return {
        kind: 'redirect',
        location: errorResponseUrl(outcome.redirectUri, outcome.error, outcome.state, this.issuer),
      };
    }
    await this.requests.record(outcome.request);
    return this.continue(outcome.request.requestId, sessionCookie, now, false);
  }

  /** The next step of a recorded request: login, consent, or the code. */
  async continue(
    requestId: string | undefined,
    sessionCookie: string | undefined,
    now: Date,
    consentDenied: boolean,
  ): Promise<AuthorizeAnswer> {
    const request = await this.requests.get(requestId);
    let session = await this.sessions.current(sessionCookie, now);
    const user = session ? await this.users.get(session.sub) : null;
    if (user === null || !user.active) session = null; // a deleted or deactivated user is signed out
    const consent = request && session ? await this.consentOf(session.sub, request.clientId) : null;
    const decision = decideContinue({ request, session, consent, consentDenied, now });
    switch (decision.kind) {
      case 'error-page':
        return { kind: 'page', status: 400, message: decision.message };
      case 'redirect-error':
        return this.errorRedirect(request!, decision.error);
      case 'login':
        return { kind: 'redirect', location: `/login?request=${request!.requestId}` };
      case 'consent':
        return { kind: 'redirect', location: `/consent?request=${request!.requestId}` };
      case 'issue':
        return this.issue(request!, decision.session, decision.scope, decision.consentId, user!, now);
    }
  }

  private errorRedirect(
    request: AuthorizationRequestState,
    error: { error: string; description?: string },
  ): AuthorizeAnswer {
    return {
      kind: 'redirect',
      location: errorResponseUrl(request.redirectUri, error as never, request.state, this.issuer),
    };
  }

  private async consentOf(sub: string, clientId: string): Promise<ConsentView | null> {
    const state = foldConsent(await this.store.readStream(consentStream(sub, clientId)));
    return (
      state && {
        consentId: state.consentId,
        scopes: state.scopes,
        revoked: state.revoked,
        lastGrantedAt: state.grantedAt,
        ...(state.requestId !== undefined ? { lastRequestId: state.requestId } : {}),
      }
    );
  }

  private async issue(
    request: AuthorizationRequestState,
    session: SessionState,
    scope: string,
    consentId: string | undefined,
    user: NonNullable<Awaited<ReturnType<UserDirectory['get']>>>,
    now: Date,
  ): Promise<AuthorizeAnswer> {
    const code = generateBearerValue(CODE_PREFIX);
    const handle = bearerHandle(code);
    const claims = await codeClaims(this.store, user, scope.split(' '));
    const issued: AuthorizationCodeIssuedData = {
      handle,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      ...(request.codeChallenge ? { codeChallenge: request.codeChallenge, codeChallengeMethod: 'S256' as const } : {}),
      scope,
      sub: session.sub,
      sessionHandle: session.sessionHandle,
      authTime: session.authTime,
      acr: session.acr,
      amr: session.amr,
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
      ...(consentId !== undefined ? { consentId } : {}),
      // RFC 8707 §2.2: the token request may only ask for one of the resources authorized here.
      ...(request.resources !== undefined ? { resources: [...request.resources] } : {}),
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
      sealedClaims: sealWithToken(code, AUTHORIZATION_CODE_CLAIMS_PURPOSE, claims),
    };
    const completed: AuthorizationRequestCompletedData = {
      requestId: request.requestId,
      codeHandle: handle,
      completedAt: now.toISOString(),
    };
    const metadata = { actor: `user:${session.sub}` };
    try {
      // One request, one code: completing the request at its version is the single-use check.
      await this.store.appendMany([
        {
          streamId: authorizationRequestStream(request.requestId),
          expectedVersion: request.version,
          events: [{ type: AuthorizationEvents.requestCompleted, data: { ...completed }, metadata }],
        },
        {
          streamId: authorizationCodeStream(handle),
          expectedVersion: 0,
          events: [{ type: AuthorizationEvents.codeIssued, data: { ...issued }, metadata }],
        },
      ]);
    } catch (err) {
      if (err instanceof ConcurrencyError) {
        return { kind: 'page', status: 400, message: 'The authorization request was already used.' };
      }
      throw err;
    }
    return { kind: 'redirect', location: codeResponseUrl(request.redirectUri, code, request.state, this.issuer) };
  }
}
