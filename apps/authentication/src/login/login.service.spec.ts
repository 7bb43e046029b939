import { UserEvents } from '@tessera/contracts';
import type { EventStore, RecordedEvent } from '@tessera/event-store';
import type { MfaService } from '../mfa/mfa.service';
import type { CredentialStore } from '../passwords/credential.store';
import { PasswordAuthenticator } from '../passwords/password.authenticator';
import { PasswordHasher } from '../passwords/password.hasher';
import { MAX_PASSWORD_LENGTH } from '../passwords/password.policy';
import type { UserNameIndex } from '../users/user-name.index';
import { DEFAULT_THROTTLE_POLICY, LoginThrottle } from './login-throttle';
import { LoginService } from './login.service';

const ALICE = '6f1c2a9e-1b2c-4d5e-8f90-123456789abc';
const PASSWORD = 'correct horse battery staple';
const NOW = new Date('2026-11-29T10:00:00.000Z');

async function setUp() {
  const hasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const hash = await hasher.hash(PASSWORD);
  const verify = jest.spyOn(hasher, 'verify');
  const names = { find: async (n: string) => (n.toLowerCase() === 'alice' ? ALICE : null) } as UserNameIndex;
  const credentials = { get: async (id: string) => (id === ALICE ? hash : null), rehash: jest.fn() };
  const store = {
    readStream: async () => [
      { type: UserEvents.created, data: { active: true }, streamVersion: 1 } as unknown as RecordedEvent,
    ],
  } as unknown as EventStore;
  const passwords = new PasswordAuthenticator(names, credentials as unknown as CredentialStore, hasher, store);
  const mfa = { state: async () => ({ totpEnrolled: false }) } as unknown as MfaService;
  const throttle = new LoginThrottle();
  const service = new LoginService(passwords, mfa, throttle, async () => undefined);
  return { service, throttle, verify };
}

describe('LoginService (issue 5 §5 brute force)', () => {
  it('lets at most maxFailures of many parallel wrong passwords reach argon2id, then the account is locked', async () => {
    const { service, throttle, verify } = await setUp();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => service.password('alice', `wrong password ${i}`, `10.0.${i}.1`, NOW)),
    );
    expect(verify.mock.calls.length).toBeLessThanOrEqual(DEFAULT_THROTTLE_POLICY.account.maxFailures);
    expect(outcomes.filter((o) => o.kind === 'locked').length).toBeGreaterThanOrEqual(15);
    expect(throttle.assess('alice', '10.9.9.9', NOW).lockedUntil).toBeDefined();
    // Locked: even the right password is refused without a verification.
    verify.mockClear();
    expect((await service.password('alice', PASSWORD, '10.9.9.9', NOW)).kind).toBe('locked');
    expect(verify).not.toHaveBeenCalled();
  });

  it('takes back the provisional failure of a right password', async () => {
    const { service, throttle } = await setUp();
    expect((await service.password('alice', PASSWORD, '10.0.0.1', NOW)).kind).toBe('authenticated');
    expect(throttle.assess('alice', '10.0.0.1', NOW)).toEqual({ delayMs: 0 });
  });

  it('refuses a password over the policy maximum, after the same argon2id work on a bounded input', async () => {
    const { service, verify } = await setUp();
    const huge = PASSWORD + 'x'.repeat(MAX_PASSWORD_LENGTH);
    expect((await service.password('alice', huge, '10.0.0.2', NOW)).kind).toBe('failed');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0][1].length).toBeLessThanOrEqual(MAX_PASSWORD_LENGTH);
  });
});
