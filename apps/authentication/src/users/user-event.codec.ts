import { type SealedPersonalData, type UserCreatedData, UserEvents, type UserUpdatedData } from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import type { CommandMeta, UserEvent } from './user.decider';
import { PersonalDataUnreadableError } from './user.errors';
import type { PersonalDataCipher } from './personal-data.cipher';

/** The event to append: personal data sealed with the user's key (DESIGN §2), metadata without any. */
export function sealUserEvent(event: UserEvent, cipher: PersonalDataCipher, meta: CommandMeta): NewEvent {
  const metadata = meta.correlationId
    ? { actor: meta.actor, correlationId: meta.correlationId }
    : { actor: meta.actor };
  switch (event.type) {
    case UserEvents.created: {
      const { profile, ...rest } = event.data;
      const data: UserCreatedData = { ...rest, personal: cipher.seal(profile) };
      return { type: event.type, data: data as unknown as Record<string, unknown>, metadata };
    }
    case UserEvents.updated: {
      const { profile, ...rest } = event.data;
      const data: UserUpdatedData = { ...rest, personal: cipher.seal(profile) };
      return { type: event.type, data: data as unknown as Record<string, unknown>, metadata };
    }
    default:
      return { type: event.type, data: event.data as unknown as Record<string, unknown>, metadata };
  }
}

/** A logged user event with its personal data opened; throws PersonalDataUnreadableError without the key. */
export function openUserEvent(event: RecordedEvent, cipher: PersonalDataCipher | null): UserEvent {
  switch (event.type) {
    case UserEvents.created:
    case UserEvents.updated: {
      const { personal, ...rest } = event.data as unknown as { personal: SealedPersonalData };
      if (cipher === null) throw new PersonalDataUnreadableError(`no key for ${event.streamId}`);
      return { type: event.type, data: { ...rest, profile: cipher.open(personal) } } as UserEvent;
    }
    case UserEvents.passwordChanged:
    case UserEvents.deleted:
      return { type: event.type, data: event.data } as unknown as UserEvent;
    default:
      throw new Error(`not a user event: ${event.type}`);
  }
}

/** What the log says in clear about a user: enough to authenticate without opening personal data. */
export interface UserStatus {
  exists: boolean;
  active: boolean;
  deleted: boolean;
  version: number;
}

/** Folds the clear fields of a user's logged events. */
export function userStatus(events: readonly RecordedEvent[]): UserStatus {
  let status: UserStatus = { exists: false, active: false, deleted: false, version: 0 };
  for (const e of events) {
    if (e.type === UserEvents.created || e.type === UserEvents.updated) {
      status = { ...status, exists: true, active: (e.data as { active: boolean }).active };
    } else if (e.type === UserEvents.deleted) {
      status = { ...status, deleted: true, active: false };
    }
    status = { ...status, version: e.streamVersion };
  }
  return status;
}
