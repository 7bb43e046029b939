import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UserEvents, userStream } from '@tessera/contracts';
import {
  ConcurrencyError,
  type Database,
  type EventStore,
  NotFoundError,
  type RecordedEvent,
  type Sql,
} from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import { CredentialStore } from '../passwords/credential.store';
import { PasswordHasher } from '../passwords/password.hasher';
import { checkPasswordPolicy } from '../passwords/password.policy';
import { type CommandMeta, decideUser, evolveUser, foldUser, type UserCommand, type UserState } from './user.decider';
import { VersionMismatchError } from './user.errors';
import { openUserEvent, sealUserEvent } from './user-event.codec';
import { UserKeyStore } from './user-key.store';
import { UserNameIndex } from './user-name.index';
import type { UserProfile } from './user-profile';

/** A user's attributes as an administrator sets them (SCIM POST/PUT, or the result of a PATCH). */
export interface UserInput {
  active: boolean;
  profile: UserProfile;
  /** A new password, write-only: hashed into `authentication.credentials`, never logged. */
  password?: string;
}

/** Lost races retried before the ConcurrencyError surfaces. */
const MAX_ATTEMPTS = 3;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid user id (a UUID); others are unknown without asking the database. */
export function isUserId(value: string): boolean {
  return UUID.test(value);
}

/**
 * The user aggregate's command side (issue 5 §1): loads the stream, decides,
 * seals personal data with the user's key and appends, together with the
 * private rows (key, userName digest, password hash) in one transaction.
 */
@Injectable()
export class UserService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keys: UserKeyStore,
    private readonly names: UserNameIndex,
    private readonly credentials: CredentialStore,
    private readonly hasher: PasswordHasher,
  ) {}

  /** RFC 7644 §3.3: provisions a user with a new UUID. */
  async create(input: UserInput, meta: CommandMeta): Promise<UserState> {
    const passwordHash = await this.hashIfGiven(input.password);
    const userId = randomUUID();
    return this.db.transaction(async (tx) => {
      const command: UserCommand = {
        type: 'CreateUser',
        userId,
        active: input.active,
        profile: input.profile,
        setsPassword: passwordHash !== undefined,
      };
      const events = decideUser(null, command, meta);
      const cipher = await this.keys.create(tx, userId);
      await this.names.claim(tx, userId, input.profile.userName);
      await this.store.append(
        userStream(userId),
        0,
        events.map((e) => sealUserEvent(e, cipher, meta)),
        tx,
      );
      if (passwordHash !== undefined) await this.credentials.set(tx, userId, passwordHash);
      return foldUser(events)!;
    });
  }

  /** The live user, exact (folded from the stream), or null when unknown or deleted. */
  async get(id: string, sql: Sql = this.db): Promise<UserState | null> {
    if (!isUserId(id)) return null;
    const userId = id.toLowerCase();
    const history = await this.store.readStream(userStream(userId), 1, sql);
    return this.fold(userId, history, sql);
  }

  /** The live user with this userName (case-insensitive), exact, or null. */
  async getByUserName(userName: string): Promise<UserState | null> {
    const userId = await this.names.find(userName);
    return userId === null ? null : this.get(userId);
  }

  /**
   * RFC 7644 §3.5: replaces the user's attributes with `change(current)` (PUT:
   * a constant; PATCH: the operations applied). `ifMatch` is the version the
   * caller saw (RFC 7644 §3.14). A concurrent writer makes it decide again.
   */
  async update(
    id: string,
    change: (current: UserState) => UserInput,
    meta: CommandMeta,
    ifMatch?: number,
  ): Promise<UserState> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(id);
      if (current === null) throw new NotFoundError('user not found');
      const { userId } = current;
      if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionMismatchError(current.version);
      const input = change(current);
      const passwordHash = await this.hashIfGiven(input.password);
      try {
        return await this.db.transaction(async (tx) => {
          const command: UserCommand = {
            type: 'ReplaceUser',
            active: input.active,
            profile: input.profile,
            setsPassword: passwordHash !== undefined,
          };
          const events = decideUser(current, command, meta);
          if (events.length === 0) return current;
          const cipher = await this.keys.load(userId, tx);
          if (cipher === null) throw new NotFoundError('user not found');
          if (events.some((e) => e.type === UserEvents.updated)) {
            await this.names.claim(tx, userId, input.profile.userName);
          }
          const sealed = events.map((e) => sealUserEvent(e, cipher, meta));
          await this.store.append(userStream(userId), current.version, sealed, tx);
          if (passwordHash !== undefined) await this.credentials.set(tx, userId, passwordHash);
          return events.reduce<UserState>((s, e) => evolveUser(s, e)!, current);
        });
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS || ifMatch !== undefined) throw err;
      }
    }
  }

  /**
   * RFC 7644 §3.6: deprovisions the user. Their key, userName digest,
   * password hash, TOTP seed and recovery-code hashes are deleted in the transaction of `user.deleted`: the
   * personal data in the log can no longer be read (DESIGN §2, crypto-shredding).
   */
  async delete(id: string, meta: CommandMeta, ifMatch?: number): Promise<void> {
    if (!isUserId(id)) throw new NotFoundError('user not found');
    const userId = id.toLowerCase();
    await this.db.transaction(async (tx) => {
      const history = await this.store.readStream(userStream(userId), 1, tx);
      const current = await this.fold(userId, history, tx);
      if (current === null) throw new NotFoundError('user not found');
      if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionMismatchError(current.version);
      const events = decideUser(current, { type: 'DeleteUser' }, meta);
      const cipher = await this.keys.load(userId, tx);
      if (cipher === null) throw new NotFoundError('user not found');
      await this.store.append(
        userStream(userId),
        history.length,
        events.map((e) => sealUserEvent(e, cipher, meta)),
        tx,
      );
      await this.keys.destroy(tx, userId);
      await this.names.release(tx, userId);
      await this.credentials.delete(tx, userId);
    });
  }

  private async fold(userId: string, history: readonly RecordedEvent[], sql: Sql): Promise<UserState | null> {
    if (history.length === 0 || history[history.length - 1].type === UserEvents.deleted) return null;
    const cipher = await this.keys.load(userId, sql);
    const state = foldUser(history.map((e) => openUserEvent(e, cipher)));
    return state === null || state.deleted ? null : state;
  }

  private async hashIfGiven(password: string | undefined): Promise<string | undefined> {
    if (password === undefined) return undefined;
    return this.hasher.hash(checkPasswordPolicy(password));
  }
}
