import {
  TokenEvents,
  type RefreshFamilyRevokedData,
  type RefreshFamilyStartedData,
  type RefreshTokenRotatedData,
  type RevocationReason,
  type SealedClaims,
} from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import { InvalidGrantError, InvalidScopeError } from '@tessera/oauth';
import { type CommandMeta, eventMetadata } from './command-meta';

/** A refresh token family (RFC 9700 §4.14.2): one live token at a time, rotated on every use. */
export interface RefreshFamilyState {
  familyId: string;
  clientId: string;
  sub: string;
  scope: string[];
  aud: string[];
  expiresAt: string;
  /** The one refresh token that may be used now. */
  current: string;
  /** Refresh tokens already used: presenting one again is reuse. */
  spent: string[];
  accessTokenHandles: string[];
  revoked: boolean;
  /** The family's RefreshTokenClaims sealed under `current` (DESIGN §2), when it has claims. */
  sealedClaims?: SealedClaims;
  /** The consent that allowed the family (authorization code grant). */
  consentId?: string;
}

/** Begin a family with its first refresh token and access token. */
export interface StartRefreshFamily {
  type: 'StartRefreshFamily';
  data: Omit<RefreshFamilyStartedData, 'issuedAt'>;
}

/** Use a refresh token: spend it and name its successor. */
export interface RotateRefreshToken {
  type: 'RotateRefreshToken';
  presentedHandle: string;
  clientId: string;
  /** Requested scope, or undefined for the family's whole scope (RFC 6749 §6). */
  scope?: string[];
  refreshHandle: string;
  accessTokenHandle: string;
  /** The family's claims resealed under the successor (`refreshHandle`), when it has claims. */
  sealedClaims?: SealedClaims;
}

/** Revoke the family and everything it issued. */
export interface RevokeRefreshFamily {
  type: 'RevokeRefreshFamily';
  clientId: string;
  reason: RevocationReason;
}

/** Commands of the refresh family. */
export type RefreshFamilyCommand = StartRefreshFamily | RotateRefreshToken | RevokeRefreshFamily;

/** Folds one event into the family's state. */
export function evolveRefreshFamily(state: RefreshFamilyState | null, event: RecordedEvent): RefreshFamilyState | null {
  switch (event.type) {
    case TokenEvents.refreshFamilyStarted: {
      const d = event.data as unknown as RefreshFamilyStartedData;
      return {
        familyId: d.familyId,
        clientId: d.clientId,
        sub: d.sub,
        scope: splitScope(d.scope),
        aud: d.aud,
        expiresAt: d.expiresAt,
        current: d.refreshHandle,
        spent: [],
        accessTokenHandles: [d.accessTokenHandle],
        revoked: false,
        ...(d.sealedClaims ? { sealedClaims: d.sealedClaims } : {}),
        ...(d.consentId !== undefined ? { consentId: d.consentId } : {}),
      };
    }
    case TokenEvents.refreshTokenRotated: {
      if (!state) return state;
      const d = event.data as unknown as RefreshTokenRotatedData;
      const { sealedClaims: _previous, ...rest } = state;
      return {
        ...rest,
        ...(d.sealedClaims ? { sealedClaims: d.sealedClaims } : {}),
        current: d.refreshHandle,
        spent: [...state.spent, d.previousHandle],
        accessTokenHandles: [...state.accessTokenHandles, d.accessTokenHandle],
      };
    }
    case TokenEvents.refreshFamilyRevoked:
      return state && { ...state, revoked: true };
    default:
      return state;
  }
}

/** The family's state from its stream. */
export function refreshFamilyFrom(events: readonly RecordedEvent[]): RefreshFamilyState | null {
  return events.reduce<RefreshFamilyState | null>(evolveRefreshFamily, null);
}

/**
 * Pure decision (STYLE 5). Rotation: a spent token presented again is reuse,
 * answered by revoking the whole family (RFC 9700 §4.14.2); the service then
 * refuses the request with invalid_grant. Bound to its client (RFC 6749 §6).
 */
export function decideRefreshFamily(
  state: RefreshFamilyState | null,
  command: RefreshFamilyCommand,
  meta: CommandMeta,
): NewEvent[] {
  switch (command.type) {
    case 'StartRefreshFamily': {
      if (state) throw new Error(`refresh family ${command.data.familyId} already exists`);
      const data: RefreshFamilyStartedData = { ...command.data, issuedAt: meta.now.toISOString() };
      return [event(TokenEvents.refreshFamilyStarted, data, meta)];
    }
    case 'RotateRefreshToken':
      return decideRotation(state, command, meta);
    case 'RevokeRefreshFamily':
      // RFC 7009 §2.1: a token of another client is not revoked; revoking twice changes nothing.
      if (!state || state.revoked || state.clientId !== command.clientId) return [];
      return [revocation(state, command.reason, meta)];
    default:
      return assertNever(command);
  }
}

function decideRotation(state: RefreshFamilyState | null, command: RotateRefreshToken, meta: CommandMeta): NewEvent[] {
  if (!state) throw new InvalidGrantError('refresh token is invalid');
  if (state.clientId !== command.clientId) throw new InvalidGrantError('refresh token was issued to another client');
  if (state.revoked) throw new InvalidGrantError('refresh token was revoked');
  if (state.spent.includes(command.presentedHandle)) {
    return [revocation(state, 'refresh_token_reuse', meta)];
  }
  if (state.current !== command.presentedHandle) throw new InvalidGrantError('refresh token is invalid');
  if (meta.now.getTime() >= Date.parse(state.expiresAt)) throw new InvalidGrantError('refresh token expired');
  const scope = command.scope ?? state.scope;
  const wider = scope.filter((s) => !state.scope.includes(s));
  // RFC 6749 §6: the scope may only narrow.
  if (wider.length > 0) throw new InvalidScopeError(`scope exceeds the original grant: ${wider.join(' ')}`);
  const data: RefreshTokenRotatedData = {
    familyId: state.familyId,
    previousHandle: command.presentedHandle,
    refreshHandle: command.refreshHandle,
    accessTokenHandle: command.accessTokenHandle,
    scope: scope.join(' '),
    rotatedAt: meta.now.toISOString(),
    ...(command.sealedClaims ? { sealedClaims: command.sealedClaims } : {}),
  };
  return [event(TokenEvents.refreshTokenRotated, data, meta)];
}

function revocation(state: RefreshFamilyState, reason: RevocationReason, meta: CommandMeta): NewEvent {
  const data: RefreshFamilyRevokedData = {
    familyId: state.familyId,
    clientId: state.clientId,
    sub: state.sub,
    reason,
    refreshHandles: [...state.spent, state.current],
    accessTokenHandles: [...state.accessTokenHandles],
    revokedAt: meta.now.toISOString(),
  };
  return event(TokenEvents.refreshFamilyRevoked, data, meta);
}

function event(type: string, data: object, meta: CommandMeta): NewEvent {
  return { type, data: { ...data } as Record<string, unknown>, metadata: eventMetadata(meta) };
}

function splitScope(scope: string): string[] {
  return scope.split(' ').filter((s) => s.length > 0);
}

function assertNever(x: never): never {
  throw new Error(`unknown command ${JSON.stringify(x)}`);
}
