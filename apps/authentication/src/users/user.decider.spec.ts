import { UserEvents } from '@tessera/contracts';
import { IllegalStateError, NotFoundError } from '@tessera/event-store';
import { type CommandMeta, decideUser, foldUser, type UserCommand, type UserEvent } from './user.decider';
import type { UserProfile } from './user-profile';

const meta: CommandMeta = { now: new Date('2026-11-29T10:00:00.000Z'), actor: 'service:scim' };
const at = '2026-11-29T10:00:00.000Z';
const userId = '6f1c2a9e-1b2c-4d5e-8f90-123456789abc';
const alice: UserProfile = { userName: 'alice', emails: [{ value: 'alice@example.com', primary: true }], claims: {} };
const created: UserEvent = {
  type: UserEvents.created,
  data: { userId, active: true, profile: alice, createdAt: '2026-11-01T00:00:00.000Z' },
};

/** given(events).when(command).then(events): the decider as a specification (STYLE: Emmett). */
function given(events: UserEvent[]) {
  return {
    when: (command: UserCommand) => ({
      then: (expected: UserEvent[]) => expect(decideUser(foldUser(events), command, meta)).toEqual(expected),
      thenThrows: (error: new (...args: never[]) => Error) =>
        expect(() => decideUser(foldUser(events), command, meta)).toThrow(error),
    }),
  };
}

describe('user decider', () => {
  it('creates a user, with the password fact when one is set', () => {
    given([])
      .when({ type: 'CreateUser', userId, active: true, profile: alice, setsPassword: true })
      .then([
        { type: UserEvents.created, data: { userId, active: true, profile: alice, createdAt: at } },
        { type: UserEvents.passwordChanged, data: { userId, changedAt: at } },
      ]);
    given([])
      .when({ type: 'CreateUser', userId, active: false, profile: alice, setsPassword: false })
      .then([{ type: UserEvents.created, data: { userId, active: false, profile: alice, createdAt: at } }]);
  });

  it('refuses to create a user twice', () => {
    given([created])
      .when({ type: 'CreateUser', userId, active: true, profile: alice, setsPassword: false })
      .thenThrows(IllegalStateError);
  });

  it('replaces attributes, and yields nothing when nothing changes', () => {
    const renamed = { ...alice, displayName: 'Alice' };
    given([created])
      .when({ type: 'ReplaceUser', active: true, profile: renamed, setsPassword: false })
      .then([{ type: UserEvents.updated, data: { userId, active: true, profile: renamed, updatedAt: at } }]);
    // Same content, keys in another order: no event.
    const reordered: UserProfile = {
      claims: {},
      emails: [{ primary: true, value: 'alice@example.com' }],
      userName: 'alice',
    };
    given([created]).when({ type: 'ReplaceUser', active: true, profile: reordered, setsPassword: false }).then([]);
  });

  it('records a password change as a fact only', () => {
    given([created])
      .when({ type: 'ReplaceUser', active: true, profile: alice, setsPassword: true })
      .then([{ type: UserEvents.passwordChanged, data: { userId, changedAt: at } }]);
  });

  it('deletes a live user; an unknown or deleted one is not found', () => {
    given([created])
      .when({ type: 'DeleteUser' })
      .then([{ type: UserEvents.deleted, data: { userId, deletedAt: at } }]);
    given([]).when({ type: 'DeleteUser' }).thenThrows(NotFoundError);
    const deleted: UserEvent = { type: UserEvents.deleted, data: { userId, deletedAt: at } };
    given([created, deleted]).when({ type: 'DeleteUser' }).thenThrows(NotFoundError);
    given([created, deleted])
      .when({ type: 'ReplaceUser', active: true, profile: alice, setsPassword: false })
      .thenThrows(NotFoundError);
  });

  it('folds version and timestamps for SCIM meta', () => {
    const state = foldUser([
      created,
      { type: UserEvents.passwordChanged, data: { userId, changedAt: '2026-11-02T00:00:00.000Z' } },
    ]);
    expect(state).toMatchObject({
      version: 2,
      createdAt: '2026-11-01T00:00:00.000Z',
      lastModified: '2026-11-02T00:00:00.000Z',
      hasPassword: true,
      deleted: false,
    });
  });
});
