import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ClientAssertionEvents,
  type ClientAssertionUsedData,
  clientAssertionStream,
  type PublicJwk,
} from '@tessera/contracts';
import { ConcurrencyError, type EventStore } from '@tessera/event-store';
import { InvalidClientError } from '@tessera/oauth';
import { CONFIG, EVENT_STORE, type TesseraConfig } from '@tessera/platform';
import { createLocalJWKSet, createRemoteJWKSet, type JWK, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { RegisteredClient } from './registered-client';

/** Signature algorithms a client assertion may use: asymmetric only — never HS*, never `none` (RFC 8725 §3.1). */
export const CLIENT_ASSERTION_ALGORITHMS: readonly string[] = ['ES256', 'EdDSA', 'RS256', 'PS256'];

/** The longest an assertion may live from now (RFC 7523 §3 item 4: "limit the time window"). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
// Clock skew allowed between the client and Tessera.
const CLOCK_TOLERANCE_SECONDS = 30;
// A client's jwks_uri must answer quickly: the token request waits on it.
const REMOTE_JWKS_TIMEOUT_MS = 3000;
const MAX_JTI_LENGTH = 256;

/**
 * base64url(SHA-256(client_id NUL jti)): how the log names one use of an assertion (never the jti in clear).
 * The NUL separator keeps ("ab", "c") and ("a", "bc") apart (a client id holds no NUL).
 */
export function assertionJtiHash(clientId: string, jti: string): string {
  return createHash('sha256').update(`${clientId}\0${jti}`, 'utf8').digest('base64url');
}

/**
 * Verifies a private_key_jwt client assertion (RFC 7523 §2.2 and §3, OIDC Core
 * §9): signature by a key of the client's `jwks`/`jwks_uri` with an allow-listed
 * algorithm, `iss` = `sub` = client_id, `aud` naming the token endpoint or the
 * issuer, `exp` at most 5 minutes ahead, and a `jti` used once — single use is
 * an append at expected version 0 to the jti's own stream (DESIGN §2), so two
 * concurrent uses cannot both pass. Every failure is the same InvalidClientError.
 */
@Injectable()
export class ClientAssertionVerifier {
  private readonly audiences: string[];
  private readonly remoteSets = new Map<string, JWTVerifyGetKey>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    if (config.mode === 'cli') throw new Error('ClientAssertionVerifier needs a serving config');
    this.audiences = [`${config.issuer}/oauth/token`, config.issuer];
  }

  /** Resolves when the assertion authenticates `client`; throws InvalidClientError otherwise. */
  async verify(client: RegisteredClient, assertion: string, now: Date = new Date()): Promise<void> {
    const failure = () => new InvalidClientError('client authentication failed');
    const keys = this.keySetOf(client);
    if (keys === null) throw failure();
    let exp: number;
    let jti: string;
    try {
      const { payload } = await jwtVerify(assertion, keys, {
        algorithms: [...CLIENT_ASSERTION_ALGORITHMS],
        issuer: client.clientId,
        subject: client.clientId,
        audience: this.audiences,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      });
      exp = payload.exp!;
      jti = payload.jti!;
    } catch {
      throw failure();
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) throw failure();
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw failure();
    await this.markUsed(client.clientId, jti, exp);
  }

  private async markUsed(clientId: string, jti: string, exp: number): Promise<void> {
    const jtiHash = assertionJtiHash(clientId, jti);
    const data: ClientAssertionUsedData = { clientId, jtiHash, expiresAt: exp };
    try {
      await this.store.append(clientAssertionStream(jtiHash), 0, [
        { type: ClientAssertionEvents.used, data: { ...data }, metadata: { actor: `client:${clientId}` } },
      ]);
    } catch (e) {
      // The stream exists: this jti was already used (RFC 7523 §3 item 7) — a replay.
      if (e instanceof ConcurrencyError) throw new InvalidClientError('client authentication failed');
      throw e;
    }
  }

  private keySetOf(client: RegisteredClient): JWTVerifyGetKey | null {
    const { jwks, jwks_uri: uri } = client.metadata;
    if (client.tokenEndpointAuthMethod !== 'private_key_jwt') return null;
    if (jwks !== undefined) return createLocalJWKSet({ keys: jwks.keys as (PublicJwk & JWK)[] });
    if (uri === undefined) return null;
    let set = this.remoteSets.get(uri);
    if (set === undefined) {
      // jose caches the fetched set and refetches on an unknown kid (after a cooldown): key rotation works.
      set = createRemoteJWKSet(new URL(uri), { timeoutDuration: REMOTE_JWKS_TIMEOUT_MS });
      this.remoteSets.set(uri, set);
    }
    return set;
  }
}
