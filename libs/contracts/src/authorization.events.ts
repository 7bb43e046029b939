// Authorization requests and codes (issue 5, RFC 6749 §4.1, RFC 7636). No
// personal data in clear: the code's claims travel sealed under the code value.

/** Wire type strings of authorization requests and codes, written once (STYLE 3). */
export const AuthorizationEvents = {
  /** A valid authorization request was received (stream `authrequest-<id>`). */
  requestReceived: 'authorization-request.received',
  /** The request ended with a code (stream `authrequest-<id>`): it cannot issue another. */
  requestCompleted: 'authorization-request.completed',
  /** A code was issued (stream `authcode-<handle>`). */
  codeIssued: 'authorization-code.issued',
  /** The code was redeemed at the token endpoint, once (stream `authcode-<handle>`, expected version 1). */
  codeRedeemed: 'authorization-code.redeemed',
} as const;

/** Purpose string of the claims sealed under a code (`sealWithToken`). */
export const AUTHORIZATION_CODE_CLAIMS_PURPOSE = 'authorization-code.claims';

/** The stream id of an authorization request (id: 128-bit random base64url). */
export function authorizationRequestStream(requestId: string): string {
  return `authrequest-${requestId}`;
}

/** The stream id of an authorization code, by handle = base64url(SHA-256(code)). */
export function authorizationCodeStream(handle: string): string {
  return `authcode-${handle}`;
}

/** `authorization-request.received`: the validated request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1). */
export interface AuthorizationRequestReceivedData {
  requestId: string;
  clientId: string;
  /** Exactly as registered (RFC 6749 §3.1.2.3). */
  redirectUri: string;
  /** Space-separated. */
  scope: string;
  state?: string;
  nonce?: string;
  /** RFC 7636 §4.2; absent only for a confidential client registered with `require_pkce: false`. */
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  /** Space-separated `none`, `login`, `consent`, `select_account`. */
  prompt?: string;
  /** Seconds (OIDC Core §3.1.2.1). */
  maxAge?: number;
  /** RFC 8707 §2.1: the resource indicators asked for (absolute URIs); absent when none. */
  resources?: string[];
  /** ISO 8601. */
  receivedAt: string;
  /** ISO 8601 (10 minutes after receivedAt). */
  expiresAt: string;
}

/** `authorization-request.completed`. */
export interface AuthorizationRequestCompletedData {
  requestId: string;
  /** Handle of the code it issued. */
  codeHandle: string;
  completedAt: string;
}

/** Data sealed under a bearer value (`SealedWithToken` of @tessera/keys): base64url fields. */
export interface SealedClaims {
  iv: string;
  ct: string;
  tag: string;
}

/** What `sealedClaims` holds once opened with the code value. */
export interface AuthorizationCodeClaims {
  /** OIDC standard claims for the granted scopes (OIDC Core §5.1, §5.4). */
  idToken: Record<string, unknown>;
  /** The claims the granted scopes require (DESIGN §5), from the user's custom claims. */
  accessToken: Record<string, unknown>;
}

/** `authorization-code.issued`. */
export interface AuthorizationCodeIssuedData {
  handle: string;
  clientId: string;
  redirectUri: string;
  /** Absent only when the request had none (confidential client with `require_pkce: false`). */
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  /** Space-separated granted scopes. */
  scope: string;
  sub: string;
  sessionHandle: string;
  /** ISO 8601. */
  authTime: string;
  acr: string;
  amr: string[];
  nonce?: string;
  consentId?: string;
  /** RFC 8707 §2.1: the resources the request named; a token request may only ask for one of them (§2.2). */
  resources?: string[];
  /** ISO 8601. */
  issuedAt: string;
  /** ISO 8601 (60 s after issuedAt). */
  expiresAt: string;
  /** `sealWithToken(code, 'authorization-code.claims', AuthorizationCodeClaims)`. */
  sealedClaims: SealedClaims;
}

/** `authorization-code.redeemed` (appended by the token service). */
export interface AuthorizationCodeRedeemedData {
  handle: string;
  clientId: string;
  accessTokenHandle: string;
  familyId?: string;
  /** ISO 8601. */
  redeemedAt: string;
}
