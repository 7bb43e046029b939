import {
  ConsentEvents,
  type ConsentGrantedData,
  consentIdOf,
  consentKey,
  type ConsentRevokedData,
  type ConsentState,
} from '@tessera/contracts';
import type { NewEvent } from '@tessera/event-store';

/** Metadata every command carries (STYLE 4): the clock arrives here, so the decider stays pure. */
export interface CommandMeta {
  now: Date;
  /** `user:<sub>`. */
  actor: string;
  correlationId?: string;
}

/** The user grants `scopes` to a client (issue 5 §8: all or some of what was asked). */
export interface GrantConsent {
  type: 'GrantConsent';
  sub: string;
  clientId: string;
  scopes: readonly string[];
  /** The authorization request whose consent page the user answered (the grant is then recorded even if nothing is new). */
  requestId?: string;
}

/** The user revokes a consent (`/consents`). */
export interface RevokeConsent {
  type: 'RevokeConsent';
  consentId: string;
}

/** Commands of the consent aggregate. */
export type ConsentCommand = GrantConsent | RevokeConsent;

/**
 * Pure decision (STYLE 5). A grant is cumulative and yields an event when it
 * adds a scope, or when it answers a consent page (`requestId`: the user's
 * answer is a fact authentication waits for, even with nothing new); after a revocation it starts a new consent id. Revoking an
 * absent, revoked or superseded consent yields nothing (STYLE 4).
 */
export function decideConsent(state: ConsentState | null, command: ConsentCommand, meta: CommandMeta): NewEvent[] {
  switch (command.type) {
    case 'GrantConsent': {
      const active = state !== null && !state.revoked ? state : null;
      const current = active?.scopes ?? [];
      const added = command.scopes.filter((s) => !current.includes(s));
      if (added.length === 0 && (active === null || command.requestId === undefined)) return [];
      const data: ConsentGrantedData = {
        consentId:
          active?.consentId ?? consentIdOf(consentKey(command.sub, command.clientId), (state?.generation ?? 0) + 1),
        sub: command.sub,
        clientId: command.clientId,
        scopes: [...new Set([...current, ...added])].sort(),
        grantedAt: meta.now.toISOString(),
        ...(command.requestId !== undefined ? { requestId: command.requestId } : {}),
      };
      return [event(ConsentEvents.granted, data, meta)];
    }
    case 'RevokeConsent': {
      if (state === null || state.revoked || state.consentId !== command.consentId) return [];
      const data: ConsentRevokedData = {
        consentId: state.consentId,
        sub: state.sub,
        clientId: state.clientId,
        revokedAt: meta.now.toISOString(),
      };
      return [event(ConsentEvents.revoked, data, meta)];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

function event(type: string, data: ConsentGrantedData | ConsentRevokedData, meta: CommandMeta): NewEvent {
  return {
    type,
    data: { ...data },
    metadata: meta.correlationId ? { actor: meta.actor, correlationId: meta.correlationId } : { actor: meta.actor },
  };
}
