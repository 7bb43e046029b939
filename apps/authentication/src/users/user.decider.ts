import { type UserDeletedData, UserEvents, type UserPasswordChangedData } from '@tessera/contracts';
import { IllegalStateError, NotFoundError } from '@tessera/event-store';
import { canonicalJson, type UserProfile } from './user-profile';

/** Who asks, when and why (STYLE 4): the clock arrives here so the decider stays pure. */
export interface CommandMeta {
  now: Date;
  /** `service:scim`, `user:<id>`, `system`. */
  actor: string;
  correlationId?: string;
}

/** `user.created` with its personal data in clear: what the decider reasons about, sealed before the append. */
export interface UserCreated {
  type: typeof UserEvents.created;
  data: { userId: string; active: boolean; profile: UserProfile; createdAt: string };
}

/** `user.updated`, in clear (see UserCreated). */
export interface UserUpdated {
  type: typeof UserEvents.updated;
  data: { userId: string; active: boolean; profile: UserProfile; updatedAt: string };
}

/** `user.password-changed`: a fact without the password (DESIGN §2). */
export interface UserPasswordChanged {
  type: typeof UserEvents.passwordChanged;
  data: UserPasswordChangedData;
}

/** `user.deleted`. */
export interface UserDeleted {
  type: typeof UserEvents.deleted;
  data: UserDeletedData;
}

/** Every event of the user aggregate, personal data in clear. */
export type UserEvent = UserCreated | UserUpdated | UserPasswordChanged | UserDeleted;

/** RFC 7644 §3.3: provisions a user. */
export interface CreateUser {
  type: 'CreateUser';
  userId: string;
  active: boolean;
  profile: UserProfile;
  /** A password was given (it is hashed outside the decider and never reaches it). */
  setsPassword: boolean;
}

/** RFC 7644 §3.5: the user's attributes after a PUT or a PATCH. */
export interface ReplaceUser {
  type: 'ReplaceUser';
  active: boolean;
  profile: UserProfile;
  setsPassword: boolean;
}

/** RFC 7644 §3.6: deprovisions the user. */
export interface DeleteUser {
  type: 'DeleteUser';
}

/** Every command of the user aggregate. */
export type UserCommand = CreateUser | ReplaceUser | DeleteUser;

/** A user as folded from their stream. */
export interface UserState {
  userId: string;
  active: boolean;
  profile: UserProfile;
  /** The stream version: the SCIM `meta.version` (RFC 7643 §3.1). */
  version: number;
  createdAt: string;
  lastModified: string;
  hasPassword: boolean;
  deleted: boolean;
}

function live(state: UserState | null): UserState {
  if (state === null || state.deleted) throw new NotFoundError('user not found');
  return state;
}

/** Pure: the events a command yields on a user (STYLE 5); a command that changes nothing yields none. */
export function decideUser(state: UserState | null, command: UserCommand, meta: CommandMeta): UserEvent[] {
  const at = meta.now.toISOString();
  switch (command.type) {
    case 'CreateUser': {
      if (state !== null) throw new IllegalStateError('user id already in use');
      const { userId, active, profile } = command;
      const events: UserEvent[] = [{ type: UserEvents.created, data: { userId, active, profile, createdAt: at } }];
      if (command.setsPassword) events.push({ type: UserEvents.passwordChanged, data: { userId, changedAt: at } });
      return events;
    }
    case 'ReplaceUser': {
      const current = live(state);
      const { userId } = current;
      const events: UserEvent[] = [];
      const same =
        current.active === command.active && canonicalJson(current.profile) === canonicalJson(command.profile);
      if (!same) {
        events.push({
          type: UserEvents.updated,
          data: { userId, active: command.active, profile: command.profile, updatedAt: at },
        });
      }
      if (command.setsPassword) events.push({ type: UserEvents.passwordChanged, data: { userId, changedAt: at } });
      return events;
    }
    case 'DeleteUser': {
      const current = live(state);
      return [{ type: UserEvents.deleted, data: { userId: current.userId, deletedAt: at } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Pure: the user after one more event. */
export function evolveUser(state: UserState | null, event: UserEvent): UserState | null {
  switch (event.type) {
    case UserEvents.created:
      return {
        userId: event.data.userId,
        active: event.data.active,
        profile: event.data.profile,
        version: 1,
        createdAt: event.data.createdAt,
        lastModified: event.data.createdAt,
        hasPassword: false,
        deleted: false,
      };
    case UserEvents.updated:
      return (
        state && {
          ...state,
          active: event.data.active,
          profile: event.data.profile,
          version: state.version + 1,
          lastModified: event.data.updatedAt,
        }
      );
    case UserEvents.passwordChanged:
      return state && { ...state, hasPassword: true, version: state.version + 1, lastModified: event.data.changedAt };
    case UserEvents.deleted:
      return state && { ...state, deleted: true, version: state.version + 1, lastModified: event.data.deletedAt };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

/** Folds a user's events (in clear) into their state; null for an empty stream. */
export function foldUser(events: readonly UserEvent[]): UserState | null {
  return events.reduce<UserState | null>(evolveUser, null);
}
