import { UserEvents } from '@tessera/contracts';
import type { EventStore, RecordedEvent } from '@tessera/event-store';
import type { UserNameIndex } from '../users/user-name.index';
import type { CredentialStore } from './credential.store';
import { PasswordAuthenticator } from './password.authenticator';
import { PasswordHasher } from './password.hasher';

const ALICE = '6f1c2a9e-1b2c-4d5e-8f90-123456789abc';
const PASSWORD = 'correct horse battery staple';

function event(type: string, data: Record<string, unknown>, version: number): RecordedEvent {
  return { type, data, streamVersion: version } as unknown as RecordedEvent;
}

async function setUp(active = true) {
  const hasher = new PasswordHasher();
  const verify = jest.spyOn(hasher, 'verify');
  const hash = await hasher.hash(PASSWORD);
  const names = { find: async (n: string) => (n.toLowerCase() === 'alice' ? ALICE : null) } as UserNameIndex;
  const credentials = {
    get: async (id: string) => (id === ALICE ? hash : null),
    rehash: jest.fn(),
  } as unknown as CredentialStore;
  const store = {
    readStream: async () => [event(UserEvents.created, { userId: ALICE, active }, 1)],
  } as unknown as EventStore;
  return { authenticator: new PasswordAuthenticator(names, credentials, hasher, store), verify };
}

describe('PasswordAuthenticator', () => {
  it('authenticates the right password, case-insensitive userName', async () => {
    const { authenticator } = await setUp();
    expect(await authenticator.authenticate('Alice', PASSWORD)).toEqual({ userId: ALICE });
  });

  it.each([
    ['an unknown user', 'mallory', PASSWORD, true],
    ['a wrong password', 'alice', 'not the password at all', true],
    ['an inactive user', 'alice', PASSWORD, false],
  ])('answers null for %s after exactly one argon2id verification', async (_what, userName, password, active) => {
    const { authenticator, verify } = await setUp(active);
    verify.mockClear();
    expect(await authenticator.authenticate(userName, password)).toBeNull();
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
