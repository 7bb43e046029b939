import { Inject, Injectable } from '@nestjs/common';
import { userStream } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import { userStatus } from '../users/user-event.codec';
import { UserNameIndex } from '../users/user-name.index';
import { CredentialStore } from './credential.store';
import { PasswordHasher } from './password.hasher';

const NIL_USER_ID = '00000000-0000-0000-0000-000000000000';

/** Who a password login proved to be. */
export interface AuthenticatedUser {
  userId: string;
}

/**
 * Password authentication (issue 5 §2): one argon2id verification for every
 * attempt, so an unknown user, a user without a password, an inactive user and
 * a wrong password all cost the same and all answer null. A hash made with
 * older parameters is replaced on a successful login (rehash).
 */
@Injectable()
export class PasswordAuthenticator {
  constructor(
    private readonly names: UserNameIndex,
    private readonly credentials: CredentialStore,
    private readonly hasher: PasswordHasher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The user whose userName and password these are, or null. */
  async authenticate(userName: string, password: string): Promise<AuthenticatedUser | null> {
    const userId = typeof userName === 'string' ? await this.names.find(userName) : null;
    const ok = await this.verifyPassword(userId, password);
    return ok && userId !== null ? { userId } : null;
  }

  /**
   * True when `password` is the password of the live, active user `userId`
   * (null: an unknown user, verified against a dummy hash for the same work).
   */
  async verifyPassword(userId: string | null, password: string): Promise<boolean> {
    // An unknown user costs the same query as a known one (a nil id has no row), then the same argon2id work.
    const stored = await this.credentials.get(userId ?? NIL_USER_ID);
    const presented = typeof password === 'string' ? password.normalize('NFC') : '';
    const matches = await this.hasher.verify(userId === null ? null : stored, presented);
    if (!matches || userId === null || stored === null) return false;
    // The log, not a read model, says whether the user may sign in: a deactivation applies at once.
    const status = userStatus(await this.store.readStream(userStream(userId)));
    if (!status.exists || status.deleted || !status.active) return false;
    if (this.hasher.needsRehash(stored)) {
      await this.credentials.rehash(userId, stored, await this.hasher.hash(presented));
    }
    return true;
  }
}
