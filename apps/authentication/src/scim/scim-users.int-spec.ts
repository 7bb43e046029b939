import { userStream } from '@tessera/contracts';
import { authenticationMigrations } from '../migrations';
import { OWASP_ARGON2ID, PasswordHasher } from '../passwords/password.hasher';
import { PasswordAuthenticator } from '../passwords/password.authenticator';
import { UserDirectory } from '../users/user.directory';
import { userClaims } from '../users/user-claims';
import { PersonalDataUnreadableError } from '../users/user.errors';
import { openUserEvent } from '../users/user-event.codec';
import { UserKeyStore } from '../users/user-key.store';
import { UserService } from '../users/user.service';
import { type AuthenticationTestApp, startAuthenticationTestApp } from '../../test/authentication-test-app';
import { SCIM_CLAIMS_EXTENSION, SCIM_ERROR_SCHEMA, SCIM_PATCH_OP_SCHEMA, SCIM_USER_SCHEMA } from './scim.schemas';

const EXT = SCIM_CLAIMS_EXTENSION;
const USERS = '/scim/v2/Users';
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'tr0ub4dor & three more words';

/** The parts of a User resource the assertions read. */
interface ScimUserBody {
  id: string;
  meta: { created: string; lastModified: string };
  [attribute: string]: unknown;
}

/** The parts of a ListResponse the assertions read. */
interface ListBody {
  totalResults: number;
  itemsPerPage: number;
  Resources: { id: string }[];
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['standalone', 'distributed'] as const)('SCIM Users and passwords (%s)', (mode) => {
  let t: AuthenticationTestApp;
  let admin: Record<string, string>;
  const scim = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.json(method, url, body, { ...admin, ...headers });

  beforeAll(async () => {
    t = await startAuthenticationTestApp(mode);
    admin = { authorization: `Bearer ${t.adminToken}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps its migration id in the token service style', () => {
    expect(authenticationMigrations[0].id).toBe('authentication/0001_users');
  });

  it('refuses requests without the admin token, in the SCIM error shape', async () => {
    const res = await t.json('GET', USERS);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.json()).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: '401' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('creates, reads, lists, replaces, patches, authenticates and deletes a user; nothing personal or secret in the log', async () => {
    const userName = `Alice.${mode}@Example.com`;
    const email = `alice.${mode}@example.com`;
    const create = await scim('POST', USERS, {
      schemas: [SCIM_USER_SCHEMA, EXT],
      userName,
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: email, primary: true, type: 'work' }],
      password: PASSWORD,
      [EXT]: { account_nr: 'acct-27182' },
    });
    expect(create.status).toBe(201);
    expect(create.headers['content-type']).toMatch(/^application\/scim\+json/);
    const user = create.json<ScimUserBody>();
    const id: string = user.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(create.headers.location).toBe(`${t.issuer}${USERS}/${id}`);
    expect(create.headers.etag).toBe('W/"2"'); // user.created + user.password-changed
    expect(user).toMatchObject({
      userName,
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: email, primary: true, type: 'work' }],
      active: true,
      [EXT]: { account_nr: 'acct-27182' },
      meta: { resourceType: 'User', location: `${t.issuer}${USERS}/${id}`, version: 'W/"2"' },
    });
    expect(user.meta.created).toEqual(user.meta.lastModified);
    expect(create.body).not.toContain(PASSWORD);
    expect(user).not.toHaveProperty('password');

    // RFC 7643 §4.1.1: userName is unique case-insensitively.
    const dup = await scim('POST', USERS, { schemas: [SCIM_USER_SCHEMA], userName: userName.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(dup.json()).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: '409', scimType: 'uniqueness' });

    const weak = await scim('POST', USERS, {
      schemas: [SCIM_USER_SCHEMA],
      userName: `weak-${mode}`,
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.json()).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('at least 12') });

    // Read-through: the directory sees the user the instant it was created (DESIGN §4).
    const directory = t.get<UserDirectory>(UserDirectory);
    expect(await directory.get(id)).toMatchObject({ id, userName, claims: { account_nr: 'acct-27182' } });

    const got = await scim('GET', `${USERS}/${id}`);
    expect(got.status).toBe(200);
    expect(got.json()).toEqual(user);
    expect(got.headers.etag).toBe('W/"2"');
    for (const missing of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await scim('GET', `${USERS}/${missing}`);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: '404' });
    }

    const filtered = await scim(
      'GET',
      `${USERS}?filter=${encodeURIComponent(`userName eq "${userName.toLowerCase()}"`)}`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.json()).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id }] });
    const none = await scim('GET', `${USERS}?filter=${encodeURIComponent('userName eq "nobody"')}`);
    expect(none.json()).toMatchObject({ totalResults: 0, Resources: [] });
    const badFilter = await scim('GET', `${USERS}?filter=${encodeURIComponent('displayName co "A"')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.json()).toMatchObject({ scimType: 'invalidFilter' });

    // A second user, so that pagination has something to page through (the read model catches up).
    const bob = await scim('POST', USERS, { schemas: [SCIM_USER_SCHEMA], userName: `bob-${mode}`, active: false });
    expect(bob.status).toBe(201);
    const listed = await eventually(async () => {
      const res = await scim('GET', `${USERS}?startIndex=1&count=1`);
      const body = res.json<ListBody>();
      return body.totalResults === 2 ? body : undefined;
    }, 'both users in the read model');
    expect(listed).toMatchObject({ totalResults: 2, startIndex: 1, itemsPerPage: 1 });
    const second = (await scim('GET', `${USERS}?startIndex=2&count=5`)).json<ListBody>();
    expect(second.itemsPerPage).toBe(1);
    expect(new Set([listed.Resources[0].id, second.Resources[0].id])).toEqual(new Set([id, bob.json().id]));

    // Renaming onto another user's userName is a uniqueness conflict too.
    const rename = await scim('PUT', `${USERS}/${bob.json<{ id: string }>().id}`, {
      schemas: [SCIM_USER_SCHEMA],
      userName: userName.toLowerCase(),
    });
    expect(rename.status).toBe(409);
    expect(rename.json()).toMatchObject({ scimType: 'uniqueness' });

    // Passwords: right one, wrong one, unknown user, case-insensitive userName.
    const authenticator = t.get<PasswordAuthenticator>(PasswordAuthenticator);
    expect(await authenticator.authenticate(userName.toLowerCase(), PASSWORD)).toEqual({ userId: id });
    expect(await authenticator.authenticate(userName, 'wrong password, long enough')).toBeNull();
    expect(await authenticator.authenticate('nobody-at-all', PASSWORD)).toBeNull();
    expect(await authenticator.authenticate(`bob-${mode}`, PASSWORD)).toBeNull(); // no password at all

    // PUT replaces everything but the password (write-only: omitted = unchanged).
    const stale = create.headers.etag as string;
    const put = await scim(
      'PUT',
      `${USERS}/${id}`,
      {
        schemas: [SCIM_USER_SCHEMA, EXT],
        userName,
        displayName: 'Alice L.',
        emails: [{ value: email }],
        [EXT]: { account_nr: 'acct-27182', tier: 'gold' },
      },
      { 'if-match': stale },
    );
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ displayName: 'Alice L.', [EXT]: { tier: 'gold' }, meta: { version: 'W/"3"' } });
    expect(put.json()).not.toHaveProperty('name');
    expect(await authenticator.authenticate(userName, PASSWORD)).toEqual({ userId: id });
    const conflict = await scim(
      'PUT',
      `${USERS}/${id}`,
      { schemas: [SCIM_USER_SCHEMA], userName },
      { 'if-match': stale },
    );
    expect(conflict.status).toBe(412);

    // PATCH: name, a claim, the password, then deactivation.
    const patched = await scim('PATCH', `${USERS}/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [
        { op: 'add', path: 'name.givenName', value: 'Alicia' },
        { op: 'replace', path: `${EXT}:account_nr`, value: 'acct-16180' },
        { op: 'replace', path: 'password', value: NEW_PASSWORD },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      name: { givenName: 'Alicia' },
      [EXT]: { account_nr: 'acct-16180', tier: 'gold' },
    });
    expect(patched.body).not.toContain(NEW_PASSWORD);
    expect(await authenticator.authenticate(userName, PASSWORD)).toBeNull();
    expect(await authenticator.authenticate(userName, NEW_PASSWORD)).toEqual({ userId: id });
    const tooShort = await scim('PATCH', `${USERS}/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', path: 'password', value: 'tiny' }],
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.json()).toMatchObject({ scimType: 'invalidValue' });

    const found = await directory.findByUserName(userName.toUpperCase());
    expect(found).toMatchObject({ id, userName, active: true });
    expect(
      userClaims(
        (await eventually(async () => {
          const u = await directory.get(id);
          return u?.claims.account_nr === 'acct-16180' ? u : undefined;
        }, 'the read model to show the patch'))!,
      ),
    ).toEqual({
      sub: id,
      preferred_username: userName,
      email,
      email_verified: false,
      name: 'Alice L.',
      given_name: 'Alicia',
      account_nr: 'acct-16180',
      tier: 'gold',
    });

    const deactivated = await scim('PATCH', `${USERS}/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'Replace', value: { active: false } }],
    });
    expect(deactivated.json()).toMatchObject({ active: false });
    expect(await authenticator.authenticate(userName, NEW_PASSWORD)).toBeNull();

    // The hash is argon2id with the OWASP parameters, in the private table only.
    const [credential] = await t.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM authentication.credentials WHERE user_id = $1',
      [id],
    );
    expect(credential.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    // Nothing personal or secret in the log, data or metadata.
    const logged = JSON.stringify(await t.loggedEvents());
    for (const forbidden of [
      PASSWORD,
      NEW_PASSWORD,
      '$argon2id$',
      userName,
      userName.toLowerCase(),
      email,
      'Liddell',
      'Alicia',
      'acct-27182',
      'acct-16180',
    ]) {
      expect(logged).not.toContain(forbidden);
    }

    // Before deletion the logged personal data opens with the user's key…
    const keys = t.get<UserKeyStore>(UserKeyStore);
    const createdEvent = (await t.loggedEvents()).find((e) => e.streamId === userStream(id))!;
    const asRecorded = {
      ...createdEvent,
      streamVersion: 1,
      position: 0,
      transactionId: '0',
      schemaVersion: 1,
      recordedAt: new Date(),
    };
    expect(openUserEvent(asRecorded, await keys.load(id))).toMatchObject({ data: { profile: { userName } } });

    // DELETE shreds: the events stay, the key, name, hash and read-model row go.
    const deleted = await scim('DELETE', `${USERS}/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await scim('GET', `${USERS}/${id}`)).status).toBe(404);
    expect((await scim('DELETE', `${USERS}/${id}`)).status).toBe(404);
    const stream = (await t.loggedEvents()).filter((e) => e.streamId === userStream(id));
    expect(stream.map((e) => e.type)).toEqual([
      'user.created',
      'user.password-changed',
      'user.updated',
      'user.updated',
      'user.password-changed',
      'user.updated',
      'user.deleted',
    ]);
    // …and after it, no key is left to open it with.
    expect(await keys.load(id)).toBeNull();
    expect(() => openUserEvent(asRecorded, null)).toThrow(PersonalDataUnreadableError);
    expect(await t.get<UserService>(UserService).get(id)).toBeNull();
    for (const table of ['user_keys', 'user_names', 'credentials']) {
      expect(await t.db.query(`SELECT 1 FROM authentication.${table} WHERE user_id = $1`, [id])).toHaveLength(0);
    }
    await eventually(async () => {
      const rows = await t.db.query('SELECT 1 FROM authentication.users WHERE key = $1', [id]);
      return rows.length === 0 ? true : undefined;
    }, 'the read model to drop the user');
    expect(await directory.get(id)).toBeNull();
    expect(await directory.findByUserName(userName)).toBeNull();
    expect(await authenticator.authenticate(userName, NEW_PASSWORD)).toBeNull();
    // The name is free again, for a new user with a new id.
    const again = await scim('POST', USERS, { schemas: [SCIM_USER_SCHEMA], userName });
    expect(again.status).toBe(201);
    expect(again.json().id).not.toBe(id);
  });

  it('lets exactly one of two concurrent creates of a userName win', async () => {
    const body = { schemas: [SCIM_USER_SCHEMA], userName: `race-${mode}` };
    const answers = await Promise.all([
      scim('POST', USERS, body),
      scim('POST', USERS, { ...body, userName: `RACE-${mode}` }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it('rehashes a password made with older parameters at the next login', async () => {
    const res = await scim('POST', USERS, {
      schemas: [SCIM_USER_SCHEMA],
      userName: `carol-${mode}`,
      password: PASSWORD,
    });
    const id = res.json<{ id: string }>().id;
    const old = await new PasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 8192, timeCost: 1 }).hash(PASSWORD);
    await t.db.query('UPDATE authentication.credentials SET password_hash = $2 WHERE user_id = $1', [id, old]);
    expect(await t.get<PasswordAuthenticator>(PasswordAuthenticator).authenticate(`carol-${mode}`, PASSWORD)).toEqual({
      userId: id,
    });
    const [row] = await t.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM authentication.credentials WHERE user_id = $1',
      [id],
    );
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('answers bad input with SCIM 400s, never a 500', async () => {
    const cases: [unknown, string | undefined][] = [
      ['{"schemas": [', 'invalidSyntax'],
      [`{"schemas":["${SCIM_USER_SCHEMA}"],"userName":"a","userName":"b"}`, 'invalidSyntax'],
      [{ schemas: [SCIM_USER_SCHEMA], userName: 'x', phoneNumbers: [] }, 'invalidSyntax'],
      [{ schemas: [SCIM_USER_SCHEMA], userName: ['x'] }, 'invalidValue'],
      [{ schemas: [SCIM_USER_SCHEMA, EXT], userName: 'x', [EXT]: { sub: 'admin' } }, 'invalidValue'],
      [[1, 2], 'invalidSyntax'],
    ];
    for (const [body, scimType] of cases) {
      const res = await scim('POST', USERS, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.json()).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: '400', scimType });
    }
    const plainJson = await t.json(
      'POST',
      USERS,
      { schemas: [SCIM_USER_SCHEMA], userName: `json-${mode}` },
      {
        ...admin,
        'content-type': 'application/json',
      },
    );
    expect(plainJson.status).toBe(201);
    const badPatch = await scim('PATCH', `${USERS}/${plainJson.json<{ id: string }>().id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z' }],
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.json()).toMatchObject({ scimType: 'invalidPath' });
    expect((await scim('GET', `${USERS}?count=abc`)).status).toBe(400);
  });
});
