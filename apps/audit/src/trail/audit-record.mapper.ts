import {
  type AccessTokenIssuedData,
  type AccessTokenRevokedData,
  type AuditOutcome,
  type AuditRecord,
  AuthorizationEvents,
  type AuthorizationCodeIssuedData,
  type AuthorizationCodeRedeemedData,
  type AuthorizationRequestCompletedData,
  type AuthorizationRequestReceivedData,
  builtInScope,
  ClientAssertionEvents,
  ClientEvents,
  type ClientRegisteredData,
  ConsentEvents,
  type ConsentGrantedData,
  type ConsentRevokedData,
  type GrantsRevokedData,
  type RefreshFamilyRevokedData,
  type RefreshFamilyStartedData,
  type RefreshTokenIssuedData,
  type RefreshTokenRotatedData,
  ScopeEvents,
  type ScopeDefinedData,
  SessionEvents,
  type SessionEndedData,
  type SessionStartedData,
  SIGNING_KEY_EVENT_TYPES,
  type SigningKeyCreatedData,
  TokenEvents,
  TokenExchangeEvents,
  type TokenExchangedData,
  type TokenLineageRevokedData,
  UserEvents,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { auditActor, traceIdOf } from './audit-actor';
import { requiredClaims, type ScopeClaims } from './scope-claims';

/** A record before the chain numbers it. */
export type UnchainedRecord = Omit<AuditRecord, 'seq'>;

/** What a family's reducer takes from an event's data: explicitly named fields, nothing copied wholesale. */
type Facts = Pick<AuditRecord, 'subject' | 'clientId' | 'scopes' | 'claims' | 'reason'> & {
  ids?: Record<string, string | string[] | undefined>;
  outcome?: AuditOutcome;
};

type Reducer = (data: Record<string, unknown>, scopes: ScopeClaims) => Facts;

const scopeList = (scope: unknown): string[] => (typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []);

/** RFC 9700 §4.14.2, §4.5: a revocation caused by reuse is a detected replay. */
function revocationOutcome(reason: unknown): AuditOutcome {
  return reason === 'refresh_token_reuse' || reason === 'authorization_code_reuse' ? 'replay-detected' : 'revoked';
}

/** DESIGN §5: a token carries its scopes' required claims; the event says only whether any were sealed in. */
function releasedClaims(data: { sealedClaims?: unknown }, scopes: ScopeClaims, granted: string[]): string[] {
  return data.sealedClaims ? requiredClaims(scopes, granted) : [];
}

const tokens: Record<string, Reducer> = {
  [TokenEvents.accessTokenIssued]: (raw, scopes) => {
    const d = raw as unknown as AccessTokenIssuedData;
    const granted = scopeList(d.scope);
    return {
      subject: d.sub,
      clientId: d.clientId,
      scopes: granted,
      claims: releasedClaims(d, scopes, granted),
      ids: {
        handle: d.handle,
        jti: d.jti,
        aud: d.aud,
        familyId: d.familyId,
        consentId: d.consentId,
        parentHandle: d.parentHandle,
      },
    };
  },
  [TokenEvents.accessTokenRevoked]: (raw) => {
    const d = raw as unknown as AccessTokenRevokedData;
    const outcome = revocationOutcome(d.reason);
    return { subject: d.sub, clientId: d.clientId, reason: d.reason, outcome, ids: { handle: d.handle } };
  },
  [TokenEvents.refreshFamilyStarted]: (raw, scopes) => {
    const d = raw as unknown as RefreshFamilyStartedData;
    const granted = scopeList(d.scope);
    return {
      subject: d.sub,
      clientId: d.clientId,
      scopes: granted,
      claims: releasedClaims(d, scopes, granted),
      ids: {
        familyId: d.familyId,
        refreshHandle: d.refreshHandle,
        accessTokenHandle: d.accessTokenHandle,
        aud: d.aud,
        consentId: d.consentId,
      },
    };
  },
  [TokenEvents.refreshTokenIssued]: (raw) => {
    const d = raw as unknown as RefreshTokenIssuedData;
    return { ids: { handle: d.handle, familyId: d.familyId } };
  },
  [TokenEvents.refreshTokenRotated]: (raw, scopes) => {
    const d = raw as unknown as RefreshTokenRotatedData;
    const granted = scopeList(d.scope);
    return {
      scopes: granted,
      claims: releasedClaims(d, scopes, granted),
      ids: {
        familyId: d.familyId,
        previousHandle: d.previousHandle,
        refreshHandle: d.refreshHandle,
        accessTokenHandle: d.accessTokenHandle,
      },
    };
  },
  [TokenEvents.refreshFamilyRevoked]: (raw) => {
    const d = raw as unknown as RefreshFamilyRevokedData;
    return {
      subject: d.sub,
      clientId: d.clientId,
      reason: d.reason,
      outcome: revocationOutcome(d.reason),
      ids: { familyId: d.familyId, refreshHandles: d.refreshHandles, accessTokenHandles: d.accessTokenHandles },
    };
  },
  [TokenEvents.grantsRevoked]: (raw) => {
    const d = raw as unknown as GrantsRevokedData;
    return {
      subject: d.sub,
      clientId: d.clientId,
      reason: d.reason,
      outcome: 'revoked',
      ids: {
        consentId: d.consentId,
        refreshFamilyIds: d.refreshFamilyIds,
        refreshHandles: d.refreshHandles,
        accessTokenHandles: d.accessTokenHandles,
      },
    };
  },
  // RFC 8693: who exchanged what for whom; the `act` chain is read by the actor mapping.
  [TokenExchangeEvents.tokenExchanged]: (raw) => {
    const d = raw as unknown as TokenExchangedData;
    return {
      subject: d.sub,
      clientId: d.clientId,
      scopes: scopeList(d.scope),
      ids: {
        handle: d.handle,
        parentHandle: d.parentHandle,
        parentFamilyId: d.parentFamilyId,
        aud: d.audience,
        droppedScopes: d.droppedScopes,
      },
    };
  },
  [TokenExchangeEvents.tokenLineageRevoked]: (raw) => {
    const d = raw as unknown as TokenLineageRevokedData;
    return {
      subject: d.sub,
      clientId: d.clientId,
      reason: d.reason,
      outcome: 'revoked',
      // `cause`: the source revocation's reason code (refresh_token_reuse, consent revoked …), why the cascade ran.
      ids: { key: d.key, sourceEventId: d.sourceEventId, cause: d.cause, descendantHandles: d.descendantHandles },
    };
  },
};

// Client metadata is not copied (names, URIs, JWKs): the client id and its allowed scopes are the audit facts.
const clientFacts: Reducer = (raw) => {
  const d = raw as unknown as ClientRegisteredData;
  return { clientId: d.clientId, ...(d.metadata ? { scopes: scopeList(d.metadata.scope) } : {}) };
};
const clientIdOnly: Reducer = (raw) => ({ clientId: raw.clientId as string });

const clients: Record<string, Reducer> = {
  [ClientEvents.registered]: clientFacts,
  [ClientEvents.updated]: clientFacts,
  [ClientEvents.secretRotated]: clientIdOnly,
  [ClientEvents.deleted]: clientIdOnly,
  // The jti hash is left out: a hash of a credential's id is no audit fact.
  [ClientAssertionEvents.used]: clientIdOnly,
};

const scopesAndKeys: Record<string, Reducer> = {
  [ScopeEvents.defined]: (raw) => {
    const d = raw as unknown as ScopeDefinedData;
    return { claims: [...(d.claims ?? [])].sort(), ids: { scope: d.name } };
  },
  [ScopeEvents.deleted]: (raw) => ({ ids: { scope: raw.name as string } }),
  // Never the JWK: kid and owner only.
  ...Object.fromEntries(
    SIGNING_KEY_EVENT_TYPES.map((type): [string, Reducer] => [
      type,
      (raw) => ({ ids: { kid: raw.kid as string, owner: (raw as Partial<SigningKeyCreatedData>).owner } }),
    ]),
  ),
};

// DESIGN §2: user events carry personal data as ciphertext; only the user id is kept.
const userIdOnly: Reducer = (raw) => ({ subject: raw.userId as string, ids: { userId: raw.userId as string } });
const users: Record<string, Reducer> = Object.fromEntries(Object.values(UserEvents).map((t) => [t, userIdOnly]));

const sessionsAndCodes: Record<string, Reducer> = {
  [SessionEvents.started]: (raw) => {
    const d = raw as unknown as SessionStartedData;
    return { subject: d.sub, ids: { sessionHandle: d.sessionHandle } };
  },
  [SessionEvents.ended]: (raw) => ({ ids: { sessionHandle: (raw as unknown as SessionEndedData).sessionHandle } }),
  // Not the redirect URI, state, nonce or code challenge.
  [AuthorizationEvents.requestReceived]: (raw) => {
    const d = raw as unknown as AuthorizationRequestReceivedData;
    return { clientId: d.clientId, scopes: scopeList(d.scope), ids: { requestId: d.requestId } };
  },
  [AuthorizationEvents.requestCompleted]: (raw) => {
    const d = raw as unknown as AuthorizationRequestCompletedData;
    return { ids: { requestId: d.requestId, codeHandle: d.codeHandle } };
  },
  [AuthorizationEvents.codeIssued]: (raw, scopes) => {
    const d = raw as unknown as AuthorizationCodeIssuedData;
    const granted = scopeList(d.scope);
    // ID token claims (OIDC Core §5.4) and the access token's required claims, by name.
    const oidc = granted.includes('openid') ? granted.flatMap((s) => builtInScope(s)?.releases ?? []) : [];
    const claims = [...new Set([...oidc, ...requiredClaims(scopes, granted)])].sort();
    return {
      subject: d.sub,
      clientId: d.clientId,
      scopes: granted,
      claims,
      ids: { handle: d.handle, sessionHandle: d.sessionHandle, consentId: d.consentId },
    };
  },
  [AuthorizationEvents.codeRedeemed]: (raw) => {
    const d = raw as unknown as AuthorizationCodeRedeemedData;
    return {
      clientId: d.clientId,
      ids: { handle: d.handle, accessTokenHandle: d.accessTokenHandle, familyId: d.familyId },
    };
  },
  [ConsentEvents.granted]: (raw) => {
    const d = raw as unknown as ConsentGrantedData;
    return {
      subject: d.sub,
      clientId: d.clientId,
      scopes: [...d.scopes],
      ids: { consentId: d.consentId, requestId: d.requestId },
    };
  },
  [ConsentEvents.revoked]: (raw) => {
    const d = raw as unknown as ConsentRevokedData;
    return { subject: d.sub, clientId: d.clientId, outcome: 'revoked', ids: { consentId: d.consentId } };
  },
};

/** Event type → what its audit record keeps (STYLE: a table of event → reducer). */
const REDUCERS: Readonly<Record<string, Reducer>> = {
  ...tokens,
  ...clients,
  ...scopesAndKeys,
  ...users,
  ...sessionsAndCodes,
};

/** Id fields an event of an unknown type may keep (string values only): anything else is left out. */
const DEFAULT_ID_FIELDS = ['userId', 'clientId', 'sub', 'consentId', 'familyId', 'requestId', 'kid'] as const;

/** The safe default for event types this mapper does not know (MFA, later issues): type and ids only. */
const unknownType: Reducer = (raw) => {
  const ids: Record<string, string> = {};
  for (const field of DEFAULT_ID_FIELDS) {
    const value = raw[field];
    if (typeof value === 'string' && value.length <= 200) ids[field] = value;
  }
  return { subject: ids.sub ?? ids.userId, clientId: ids.clientId, ids };
};

/** Whether the mapper knows the type's data (unknown types get the id-only default). */
export function isMappedType(type: string): boolean {
  return type in REDUCERS;
}

function definedIds(ids: Facts['ids'] = {}): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(ids)) {
    if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) out[k] = v;
  }
  return out;
}

/**
 * The audit record of one log event (issue 7 §1): who (actor and `act`
 * chain), did what (the event type) to what (stream and ids), with which
 * scopes and claim NAMES, the outcome, and the correlation and trace ids.
 * Each event family's fields are named explicitly; nothing of `data` is copied
 * wholesale, so no personal data, ciphertext, token value or secret can leak.
 */
export function toAuditRecord(event: RecordedEvent, scopes: ScopeClaims): UnchainedRecord {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const facts = (REDUCERS[event.type] ?? unknownType)(data, scopes);
  const meta = event.metadata ?? {};
  const correlationId =
    typeof meta.correlationId === 'string' && meta.correlationId.length <= 200 ? meta.correlationId : undefined;
  const record: UnchainedRecord = {
    eventId: event.id,
    position: event.position,
    time: event.recordedAt.toISOString(),
    action: event.type,
    actor: auditActor(meta.actor, data.act ?? meta.act),
    ...(typeof facts.subject === 'string' ? { subject: facts.subject } : {}),
    ...(typeof facts.clientId === 'string' ? { clientId: facts.clientId } : {}),
    target: { stream: event.streamId, ids: definedIds(facts.ids) },
    ...(facts.scopes && facts.scopes.length > 0 ? { scopes: facts.scopes } : {}),
    ...(facts.claims && facts.claims.length > 0 ? { claims: facts.claims } : {}),
    outcome: facts.outcome ?? 'success',
    ...(typeof facts.reason === 'string' ? { reason: facts.reason } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
  const traceId = traceIdOf(meta.traceparent);
  if (traceId) record.traceId = traceId;
  return record;
}
