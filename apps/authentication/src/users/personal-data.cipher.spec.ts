import { UserEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { generateUserKey, PersonalDataCipher } from './personal-data.cipher';
import { PersonalDataUnreadableError } from './user.errors';
import { openUserEvent, sealUserEvent } from './user-event.codec';
import type { UserProfile } from './user-profile';
import { usersProjection } from './users.projection';

const userId = '6f1c2a9e-1b2c-4d5e-8f90-123456789abc';
const profile: UserProfile = {
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [{ value: 'alice@example.com', primary: true }],
  claims: { account_nr: 'acct-31415' },
};

function recorded(event: { type: string; data: Record<string, unknown> }, version = 1): RecordedEvent {
  return {
    ...event,
    position: version,
    transactionId: '1',
    streamId: `user-${userId}`,
    streamVersion: version,
    id: `e${version}`,
    schemaVersion: 1,
    metadata: {},
    recordedAt: new Date(),
  };
}

describe('personal data encryption', () => {
  it('round-trips a profile and leaves nothing personal in the sealed event', () => {
    const cipher = new PersonalDataCipher(generateUserKey(), userId);
    const event = sealUserEvent(
      { type: UserEvents.created, data: { userId, active: true, profile, createdAt: '2026-11-29T00:00:00.000Z' } },
      cipher,
      { now: new Date(), actor: 'service:scim' },
    );
    const wire = JSON.stringify(event);
    for (const secret of ['alice', 'Alice', 'Liddell', 'acct-31415', 'account_nr']) expect(wire).not.toContain(secret);
    expect(openUserEvent(recorded(event), cipher)).toEqual({
      type: UserEvents.created,
      data: { userId, active: true, profile, createdAt: '2026-11-29T00:00:00.000Z' },
    });
  });

  it('does not open under another key, for another user, or tampered', () => {
    const cipher = new PersonalDataCipher(generateUserKey(), userId);
    const sealed = cipher.seal(profile);
    expect(() => new PersonalDataCipher(generateUserKey(), userId).open(sealed)).toThrow(PersonalDataUnreadableError);
    const key = generateUserKey();
    const sealedForAlice = new PersonalDataCipher(key, userId).seal(profile);
    expect(() => new PersonalDataCipher(key, '00000000-0000-4000-8000-000000000000').open(sealedForAlice)).toThrow(
      PersonalDataUnreadableError,
    );
    const flipped = Buffer.from(sealed.ciphertext, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.open({ ...sealed, ciphertext: flipped.toString('base64url') })).toThrow(
      PersonalDataUnreadableError,
    );
  });

  it('shredding: without the key the logged event cannot be read', () => {
    const cipher = new PersonalDataCipher(generateUserKey(), userId);
    const event = recorded(
      sealUserEvent(
        { type: UserEvents.updated, data: { userId, active: true, profile, updatedAt: '2026-11-29T00:00:00.000Z' } },
        cipher,
        { now: new Date(), actor: 'system' },
      ),
    );
    expect(() => openUserEvent(event, null)).toThrow(PersonalDataUnreadableError);
  });

  it('the read model keeps ciphertext only and drops the row on deletion', () => {
    const cipher = new PersonalDataCipher(generateUserKey(), userId);
    const created = recorded(
      sealUserEvent(
        { type: UserEvents.created, data: { userId, active: true, profile, createdAt: '2026-11-29T00:00:00.000Z' } },
        cipher,
        { now: new Date(), actor: 'system' },
      ),
    );
    const row = usersProjection.evolve(null, created);
    expect(row).toMatchObject({ userId, active: true, version: 1 });
    expect(JSON.stringify(row)).not.toContain('alice');
    expect(cipher.open(row!.personal)).toEqual(profile);
    const deleted = recorded({ type: UserEvents.deleted, data: { userId, deletedAt: '2026-11-30T00:00:00.000Z' } }, 2);
    expect(usersProjection.evolve(row, deleted)).toBeNull();
    expect(usersProjection.keyOf(created)).toBe(userId);
  });
});
