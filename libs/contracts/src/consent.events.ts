import { createHash } from 'node:crypto';

// Consent events (issue 5 §8, DESIGN §1, §5). One stream per (user, client):
// `consent-<base64url(sha256(sub + ' ' + clientId))>`. A consent has an id
// that changes only when it is granted again after a revocation, so grants
// (codes, refresh families, access tokens) name the consent that allowed them.

/** Wire type strings of the consent aggregate, written once (STYLE 3). */
export const ConsentEvents = {
  /** The user granted scopes to a client (cumulative: `scopes` is the whole set now granted). */
  granted: 'consent.granted',
  /** The user revoked the consent: every grant it allowed is revoked with it (DESIGN §5). */
  revoked: 'consent.revoked',
} as const;

/** Data of `consent.granted`. */
export interface ConsentGrantedData {
  consentId: string;
  sub: string;
  clientId: string;
  /** Every scope granted so far under this consent id, sorted. */
  scopes: string[];
  /** ISO 8601. */
  grantedAt: string;
  /**
   * The authorization request whose consent page the user answered, when the
   * grant came from one: recorded even when no scope is new (`prompt=consent`,
   * or new scopes declined), so authentication sees the request was answered.
   */
  requestId?: string;
}

/** Data of `consent.revoked`. */
export interface ConsentRevokedData {
  consentId: string;
  sub: string;
  clientId: string;
  /** ISO 8601. */
  revokedAt: string;
}

/** The key of a (user, client) pair: base64url(SHA-256(sub + ' ' + clientId)), personal data kept out of ids. */
export function consentKey(sub: string, clientId: string): string {
  return createHash('sha256').update(`${sub} ${clientId}`, 'utf8').digest('base64url');
}

/** The stream id of the consent of `sub` to `clientId`. */
export function consentStream(sub: string, clientId: string): string {
  return `consent-${consentKey(sub, clientId)}`;
}

/**
 * The consent id of the `generation`-th consent of a stream: `<key>.<n>`. It
 * names its stream, so a read model keyed by consent id can read through to
 * the log on a miss.
 */
export function consentIdOf(key: string, generation: number): string {
  return `${key}.${generation}`;
}

/** The stream of a consent id, or null when it is not one. */
export function consentStreamOfId(consentId: string): string | null {
  const match = /^([A-Za-z0-9_-]{43})\.[1-9][0-9]{0,8}$/.exec(consentId);
  return match ? `consent-${match[1]}` : null;
}

/** A consent as folded from its stream. */
export interface ConsentState {
  consentId: string;
  sub: string;
  clientId: string;
  /** Granted scopes (empty once revoked). */
  scopes: string[];
  revoked: boolean;
  /** Consents this stream has had (the current one's number). */
  generation: number;
  grantedAt: string;
  /** The authorization request the last grant answered, if it came from a consent page. */
  requestId?: string;
  revokedAt?: string;
}

interface ConsentEventLike {
  type: string;
  data: Record<string, unknown> | object;
}

/** Pure: folds one consent event. */
export function evolveConsent(state: ConsentState | null, event: ConsentEventLike): ConsentState | null {
  switch (event.type) {
    case ConsentEvents.granted: {
      const d = event.data as ConsentGrantedData;
      const renewed = state === null || state.revoked || state.consentId !== d.consentId;
      return {
        consentId: d.consentId,
        sub: d.sub,
        clientId: d.clientId,
        scopes: [...d.scopes],
        revoked: false,
        generation: (state?.generation ?? 0) + (renewed ? 1 : 0),
        grantedAt: d.grantedAt,
        ...(typeof d.requestId === 'string' ? { requestId: d.requestId } : {}),
      };
    }
    case ConsentEvents.revoked: {
      const d = event.data as ConsentRevokedData;
      if (state === null) return null;
      const { requestId: _answered, ...rest } = state;
      return { ...rest, scopes: [], revoked: true, revokedAt: d.revokedAt };
    }
    default:
      return state;
  }
}

/** Pure fold of a consent stream (what authentication reads to decide whether to ask, brief5). */
export function foldConsent(events: readonly ConsentEventLike[]): ConsentState | null {
  return events.reduce<ConsentState | null>(evolveConsent, null);
}

/**
 * Whether the user must be asked: some requested scope other than `openid` is
 * not granted, or the client sent `prompt=consent` (OIDC Core §3.1.2.1).
 */
export function consentRequired(
  consent: ConsentState | null,
  requestedScopes: readonly string[],
  prompt?: string,
): boolean {
  if (prompt?.split(' ').includes('consent')) return true;
  const granted = consent && !consent.revoked ? consent.scopes : [];
  return requestedScopes.some((s) => s !== 'openid' && !granted.includes(s));
}
