import { applyPatch, parsePatchRequest, resolvePath } from './scim-patch';
import { parseUserResource, type ScimUserDocument, userDocument } from './scim-user.parser';
import { ScimError } from './scim.error';
import { SCIM_CLAIMS_EXTENSION, SCIM_PATCH_OP_SCHEMA } from './scim.schemas';

const EXT = SCIM_CLAIMS_EXTENSION;
const base: ScimUserDocument = userDocument({
  active: true,
  profile: {
    userName: 'alice',
    name: { givenName: 'Alice', familyName: 'Liddell' },
    emails: [{ value: 'alice@example.com', primary: true }],
    claims: { account_nr: '12345' },
  },
});

function patch(...operations: unknown[]) {
  return parseUserResource(
    applyPatch(base, parsePatchRequest({ schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations })),
  );
}

function scimTypeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err.scimType;
    throw err;
  }
  return 'no error';
}

describe('SCIM PATCH (RFC 7644 §3.5.2)', () => {
  it('replaces simple attributes, sub-attributes and sets the password', () => {
    const result = patch(
      { op: 'Replace', path: 'active', value: false },
      { op: 'replace', path: 'name.givenName', value: 'Alicia' },
      { op: 'add', path: 'password', value: 'a brand new password' },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:displayName', value: 'A.' },
    );
    expect(result).toEqual({
      active: false,
      password: 'a brand new password',
      profile: {
        userName: 'alice',
        displayName: 'A.',
        name: { givenName: 'Alicia', familyName: 'Liddell' },
        emails: [{ value: 'alice@example.com', primary: true }],
        claims: { account_nr: '12345' },
      },
    });
  });

  it('edits the claims extension: whole, merged, one claim, removal', () => {
    expect(patch({ op: 'add', path: EXT, value: { tier: 'gold' } }).profile.claims).toEqual({
      account_nr: '12345',
      tier: 'gold',
    });
    expect(patch({ op: 'replace', path: `${EXT}:account_nr`, value: '999' }).profile.claims).toEqual({
      account_nr: '999',
    });
    expect(patch({ op: 'remove', path: `${EXT}:account_nr` }).profile.claims).toEqual({});
    expect(patch({ op: 'remove', path: EXT }).profile.claims).toEqual({});
  });

  it('applies a path-less operation attribute by attribute', () => {
    const result = patch({ op: 'replace', value: { active: false, 'name.familyName': 'L.', [EXT]: { tier: 'x' } } });
    expect(result.active).toBe(false);
    expect(result.profile.name).toEqual({ givenName: 'Alice', familyName: 'L.' });
    expect(result.profile.claims).toEqual({ account_nr: '12345', tier: 'x' });
  });

  it('adds emails, keeping a single primary; replace and remove emails', () => {
    expect(
      patch({ op: 'add', path: 'emails', value: [{ value: 'a@work.example', primary: true }] }).profile.emails,
    ).toEqual([{ value: 'alice@example.com' }, { value: 'a@work.example', primary: true }]);
    expect(patch({ op: 'replace', path: 'emails', value: [{ value: 'b@x.io' }] }).profile.emails).toEqual([
      { value: 'b@x.io' },
    ]);
    expect(patch({ op: 'remove', path: 'emails' }).profile.emails).toEqual([]);
    expect(patch({ op: 'remove', path: 'name' }).profile.name).toBeUndefined();
  });

  it('refuses what it cannot do, with the RFC scimType', () => {
    expect(scimTypeOf(() => patch({ op: 'remove' }))).toBe('noTarget');
    expect(scimTypeOf(() => patch({ op: 'remove', path: 'userName' }))).toBe('invalidValue');
    expect(scimTypeOf(() => patch({ op: 'remove', path: 'password' }))).toBe('invalidValue');
    expect(scimTypeOf(() => patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z' }))).toBe(
      'invalidPath',
    );
    expect(scimTypeOf(() => patch({ op: 'replace', path: 'nickName', value: 'x' }))).toBe('invalidPath');
    expect(scimTypeOf(() => patch({ op: 'replace', path: 'name.middleName', value: 'x' }))).toBe('invalidPath');
    expect(scimTypeOf(() => patch({ op: 'replace', path: 'active', value: 'yes' }))).toBe('invalidValue');
    expect(scimTypeOf(() => patch({ op: 'move', path: 'active', value: true }))).toBe('invalidSyntax');
    expect(scimTypeOf(() => patch({ op: 'add', path: 'active' }))).toBe('invalidSyntax');
    expect(scimTypeOf(() => parsePatchRequest({ Operations: [] }))).toBe('invalidSyntax');
    expect(scimTypeOf(() => parsePatchRequest({ schemas: [SCIM_PATCH_OP_SCHEMA], Operations: [] }))).toBe(
      'invalidSyntax',
    );
    expect(scimTypeOf(() => resolvePath('meta.created'))).toBe('invalidPath');
  });

  it('does not modify the document it was given', () => {
    const before = JSON.stringify(base);
    patch({ op: 'replace', path: 'name.givenName', value: 'X' });
    expect(JSON.stringify(base)).toBe(before);
  });
});
