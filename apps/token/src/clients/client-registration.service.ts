import { Inject, Injectable } from '@nestjs/common';
import {
  type ClientState,
  DUMMY_SECRET_HASH,
  foldClient,
  generateClientId,
  generateSecret,
  hashSecret,
  secretMatches,
} from '@tessera/clients';
import { type ClientMetadata, clientStream } from '@tessera/contracts';
import type { Database, EventStore, Sql } from '@tessera/event-store';
import { InvalidRequestError, InvalidTokenError } from '@tessera/oauth';
import { CONFIG, DATABASE, EVENT_STORE, type TesseraConfig } from '@tessera/platform';
import { type ClientCommand, type CommandMeta, decide } from './client.decider';
import { ClientSecretStore } from './client-secret.store';
import { checkResourceIdentifiers, usesClientSecret, validateClientMetadata } from './client-metadata.validator';
import { checkTokenExchangePolicy } from './token-exchange-policy.check';

/** RFC 7591 §3.2.1 / RFC 7592 §3 client information response. */
export type ClientInformation = ClientMetadata & {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  registration_access_token: string;
  registration_client_uri: string;
};

/** Fields the server sets; RFC 7592 §2.2: the client must not send them (ignored here). */
const SERVER_FIELDS = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
];

/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592): loads the
 * client stream, decides, and appends together with the secret hashes in one
 * transaction, so nothing is half-written.
 */
@Injectable()
export class ClientRegistrationService {
  private readonly issuer: string;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) config: TesseraConfig,
    private readonly secrets: ClientSecretStore,
  ) {
    if (config.mode === 'cli') throw new Error('ClientRegistrationService needs a serving config');
    this.issuer = config.issuer;
  }

  /** RFC 7591 §3.1: registers a client; the secret and registration token appear in this response only. */
  async register(body: unknown, meta: CommandMeta): Promise<ClientInformation> {
    const metadata = validateClientMetadata(body);
    checkResourceIdentifiers(metadata, this.issuer);
    const clientId = generateClientId();
    const secret = usesClientSecret(metadata.token_endpoint_auth_method) ? generateSecret() : undefined;
    const registrationToken = generateSecret();
    const state = await this.db.transaction(async (tx) => {
      const events = decide(null, { type: 'RegisterClient', clientId, metadata }, meta);
      await this.store.append(clientStream(clientId), 0, events, tx);
      await this.secrets.insert(tx, clientId, {
        secretHash: secret === undefined ? null : hashSecret(secret),
        registrationTokenHash: hashSecret(registrationToken),
      });
      return foldClient(events.map((e) => ({ type: e.type, data: e.data })))!;
    });
    return this.information(state, registrationToken, secret);
  }

  /** RFC 7592 §2.1: reads the client; the registration access token is reissued (RFC 7592 §3). */
  async read(clientId: string, token: string | undefined): Promise<ClientInformation> {
    return this.db.transaction(async (tx) => {
      const state = await this.authorize(tx, clientId, token);
      return this.information(state, await this.reissueToken(tx, clientId));
    });
  }

  /** RFC 7592 §2.2: replaces the metadata (omitted fields take their defaults). */
  async update(
    clientId: string,
    token: string | undefined,
    body: unknown,
    meta: CommandMeta,
  ): Promise<ClientInformation> {
    return this.db.transaction(async (tx) => {
      const state = await this.authorize(tx, clientId, token);
      const fields = { ...(typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) } as Record<
        string,
        unknown
      >;
      if (fields.client_id !== clientId) throw new InvalidRequestError("client_id must be the client's own");
      if (fields.client_secret !== undefined) {
        const row = await this.secrets.get(clientId, tx);
        const ok =
          typeof fields.client_secret === 'string' &&
          row?.secretHash != null &&
          secretMatches(fields.client_secret, row.secretHash);
        if (!ok) throw new InvalidRequestError('client_secret does not match');
      }
      for (const f of [...SERVER_FIELDS, 'client_id', 'client_secret']) delete fields[f];
      const metadata = validateClientMetadata(
        typeof body === 'object' && body !== null && !Array.isArray(body) ? fields : body,
      );
      checkResourceIdentifiers(metadata, this.issuer, state.metadata);
      checkTokenExchangePolicy(metadata, state.metadata);
      const before = state.metadata.token_endpoint_auth_method;
      if (usesClientSecret(metadata.token_endpoint_auth_method) !== usesClientSecret(before)) {
        throw new InvalidRequestError('a client cannot switch between secret and non-secret authentication');
      }
      const next = await this.apply(tx, state, { type: 'UpdateClient', metadata }, meta);
      return this.information(next, await this.reissueToken(tx, clientId));
    });
  }

  /** RFC 7592 §2.3: deprovisions the client; its hashes go in the same transaction. */
  async delete(clientId: string, token: string | undefined, meta: CommandMeta): Promise<void> {
    await this.db.transaction(async (tx) => {
      const state = await this.authorize(tx, clientId, token);
      await this.apply(tx, state, { type: 'DeleteClient' }, meta);
      await this.secrets.delete(tx, clientId);
    });
  }

  /** Issues a new client secret (shown once); the old one stops working at once. */
  async rotateSecret(clientId: string, meta: CommandMeta): Promise<string> {
    return this.db.transaction(async (tx) => {
      const state = foldClient(await this.store.readStream(clientStream(clientId), 1, tx));
      const secret = generateSecret();
      await this.apply(tx, state, { type: 'RotateClientSecret' }, meta);
      await this.secrets.replaceSecret(tx, clientId, hashSecret(secret));
      return secret;
    });
  }

  private async apply(
    tx: Sql,
    state: ClientState | null,
    command: ClientCommand,
    meta: CommandMeta,
  ): Promise<ClientState> {
    const streamId = clientStream(state?.clientId ?? '');
    const history = await this.store.readStream(streamId, 1, tx);
    const current = foldClient(history);
    const events = decide(current, command, meta);
    if (events.length > 0) await this.store.append(streamId, history.length, events, tx);
    return foldClient([...history, ...events.map((e) => ({ type: e.type, data: e.data }))] as never)!;
  }

  /** RFC 7592 §2: the registration access token must be the client's; otherwise 401 invalid_token, same work either way. */
  private async authorize(tx: Sql, clientId: string, token: string | undefined): Promise<ClientState> {
    const row = await this.secrets.get(clientId, tx);
    const matches = secretMatches(token ?? '', row?.registrationTokenHash ?? DUMMY_SECRET_HASH);
    if (token === undefined || row === null || !matches)
      throw new InvalidTokenError('invalid registration access token');
    const state = foldClient(await this.store.readStream(clientStream(clientId), 1, tx));
    // RFC 7592 §2.1: an unknown client answers 401 too.
    if (state === null || state.deleted) throw new InvalidTokenError('invalid registration access token');
    return state;
  }

  private async reissueToken(tx: Sql, clientId: string): Promise<string> {
    const token = generateSecret();
    await tx.query(
      'UPDATE token.client_secrets SET registration_token_hash = $2, updated_at = now() WHERE client_id = $1',
      [clientId, hashSecret(token)],
    );
    return token;
  }

  private information(state: ClientState, registrationToken: string, secret?: string): ClientInformation {
    return {
      client_id: state.clientId,
      ...(secret !== undefined ? { client_secret: secret } : {}),
      // RFC 7591 §3.2.1: 0 = the secret does not expire.
      ...(usesClientSecret(state.metadata.token_endpoint_auth_method) ? { client_secret_expires_at: 0 } : {}),
      client_id_issued_at: state.issuedAt,
      ...state.metadata,
      registration_access_token: registrationToken,
      registration_client_uri: `${this.issuer}/oauth/register/${encodeURIComponent(state.clientId)}`,
    };
  }
}
