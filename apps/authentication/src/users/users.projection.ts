import {
  type SealedPersonalData,
  type UserCreatedData,
  UserEvents,
  type UserPasswordChangedData,
  type UserUpdatedData,
  userStream,
} from '@tessera/contracts';
import type { Projection } from '@tessera/projections';

const PREFIX = 'user-';

/**
 * A row of `authentication.users`. Personal data stays sealed here as in the
 * log: UserDirectory opens it with the user's key on read, so destroying the
 * key makes this copy unreadable too; the row itself goes on `user.deleted`.
 */
export interface UserRow {
  userId: string;
  active: boolean;
  personal: SealedPersonalData;
  version: number;
  createdAt: string;
  lastModified: string;
}

/** Read model `authentication.users`: one row per live user (DESIGN §4); deleted users have none. */
export const usersProjection: Projection<UserRow> = {
  name: 'users',
  schema: 'authentication',
  version: 1,
  eventTypes: Object.values(UserEvents),
  keyOf: (e) => (e.streamId.startsWith(PREFIX) ? e.streamId.slice(PREFIX.length) : null),
  streamsOf: (userId) => [userStream(userId)],
  evolve(state, e) {
    switch (e.type) {
      case UserEvents.created: {
        const d = e.data as unknown as UserCreatedData;
        return {
          userId: d.userId,
          active: d.active,
          personal: d.personal,
          version: e.streamVersion,
          createdAt: d.createdAt,
          lastModified: d.createdAt,
        };
      }
      case UserEvents.updated: {
        const d = e.data as unknown as UserUpdatedData;
        return (
          state && {
            ...state,
            active: d.active,
            personal: d.personal,
            version: e.streamVersion,
            lastModified: d.updatedAt,
          }
        );
      }
      case UserEvents.passwordChanged: {
        const d = e.data as unknown as UserPasswordChangedData;
        return state && { ...state, version: e.streamVersion, lastModified: d.changedAt };
      }
      case UserEvents.deleted:
        return null;
      default:
        return state;
    }
  },
};
