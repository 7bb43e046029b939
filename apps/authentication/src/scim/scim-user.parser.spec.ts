import { parseUserResource, userDocument } from './scim-user.parser';
import { ScimError } from './scim.error';
import { SCIM_CLAIMS_EXTENSION, SCIM_USER_SCHEMA } from './scim.schemas';

const EXT = SCIM_CLAIMS_EXTENSION;

function rejects(body: unknown, scimType: string, detail?: RegExp): void {
  let thrown: unknown;
  try {
    parseUserResource(body);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ScimError);
  expect((thrown as ScimError).status).toBe(400);
  expect((thrown as ScimError).scimType).toBe(scimType);
  if (detail) expect((thrown as ScimError).detail).toMatch(detail);
}

describe('SCIM User parsing (RFC 7643 §4.1)', () => {
  it('reads a full resource, attribute names case-insensitively', () => {
    expect(
      parseUserResource({
        schemas: [SCIM_USER_SCHEMA, EXT],
        USERNAME: ' alice ',
        name: { GivenName: 'Alice', familyName: 'Liddell' },
        displayName: 'Alice L.',
        emails: [{ value: 'alice@example.com', primary: true, type: 'work' }],
        active: false,
        password: 'correct horse battery',
        [EXT]: { account_nr: '12345', groups: ['a', 'b'] },
        id: 'ignored',
        meta: { resourceType: 'User' },
      }),
    ).toEqual({
      active: false,
      password: 'correct horse battery',
      profile: {
        userName: 'alice',
        name: { givenName: 'Alice', familyName: 'Liddell' },
        displayName: 'Alice L.',
        emails: [{ value: 'alice@example.com', primary: true, type: 'work' }],
        claims: { account_nr: '12345', groups: ['a', 'b'] },
      },
    });
  });

  it('defaults active to true and empty emails and claims', () => {
    expect(parseUserResource({ schemas: [SCIM_USER_SCHEMA], userName: 'bob' })).toEqual({
      active: true,
      profile: { userName: 'bob', emails: [], claims: {} },
    });
  });

  it('rejects bad structure with invalidSyntax', () => {
    rejects('nope', 'invalidSyntax');
    rejects([], 'invalidSyntax');
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', nickName: 'x' }, 'invalidSyntax', /nickName/);
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', username: 'b' }, 'invalidSyntax', /twice/);
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', name: { middleName: 'x' } }, 'invalidSyntax');
  });

  it('rejects bad values with invalidValue', () => {
    rejects({ userName: 'a' }, 'invalidValue', /schemas/);
    rejects({ schemas: ['urn:other'], userName: 'a' }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA] }, 'invalidValue', /userName is required/);
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: '  ' }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 42 }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'x'.repeat(300) }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', active: 'true' }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', emails: [{ value: 'not-an-email' }] }, 'invalidValue');
    rejects(
      {
        schemas: [SCIM_USER_SCHEMA],
        userName: 'a',
        emails: [
          { value: 'a@x.io', primary: true },
          { value: 'b@x.io', primary: true },
        ],
      },
      'invalidValue',
      /primary/,
    );
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', password: 123 }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA], userName: 'a', [EXT]: { x: 1 } }, 'invalidValue', /must include/);
    rejects({ schemas: [SCIM_USER_SCHEMA, EXT], userName: 'a', [EXT]: 'x' }, 'invalidValue');
    rejects({ schemas: [SCIM_USER_SCHEMA, EXT], userName: 'a', [EXT]: { sub: 'root' } }, 'invalidValue', /registered/);
    rejects({ schemas: [SCIM_USER_SCHEMA, EXT], userName: 'a', [EXT]: { 'bad name': 1 } }, 'invalidValue');
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const parsed = JSON.parse(`{"${name}": {"isAdmin": true}}`) as unknown;
      rejects(
        { schemas: [SCIM_USER_SCHEMA, EXT], userName: 'a', [EXT]: parsed },
        'invalidValue',
        /not a valid claim name/,
      );
      const nested = JSON.parse(`{"x": {"${name}": 1}}`) as unknown;
      rejects({ schemas: [SCIM_USER_SCHEMA, EXT], userName: 'a', [EXT]: nested }, 'invalidValue', /not allowed/);
    }
    rejects({ schemas: [SCIM_USER_SCHEMA, EXT], userName: 'a', [EXT]: { big: 'x'.repeat(5000) } }, 'invalidValue');
  });

  it('turns a user back into a document that parses to the same input', () => {
    const input = parseUserResource({
      schemas: [SCIM_USER_SCHEMA, EXT],
      userName: 'alice',
      name: { formatted: 'Alice' },
      emails: [{ value: 'alice@example.com' }],
      [EXT]: { account_nr: '1' },
    });
    expect(parseUserResource(userDocument(input))).toEqual(input);
  });
});
