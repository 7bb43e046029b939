import type { UserInput } from '../users/user.service';
import type { UserState } from '../users/user.decider';
import { RESERVED_CLAIM_NAMES } from '../users/user-claims';
import type { ClaimValue, PersonName, UserEmail, UserProfile } from '../users/user-profile';
import { MalformedScimBody } from './scim-json.parser';
import { ScimError } from './scim.error';
import { SCIM_CLAIMS_EXTENSION, SCIM_USER_SCHEMA } from './scim.schemas';

/** A User resource as JSON with canonical attribute names (the shape PATCH operations edit). */
export type ScimUserDocument = Record<string, unknown>;

/** Top-level attributes of a User, by lower-cased name (RFC 7643 §2.1: attribute names are case-insensitive). */
const TOP_LEVEL: Readonly<Record<string, string>> = {
  schemas: 'schemas',
  id: 'id',
  meta: 'meta',
  username: 'userName',
  name: 'name',
  displayname: 'displayName',
  emails: 'emails',
  active: 'active',
  password: 'password',
  [SCIM_CLAIMS_EXTENSION.toLowerCase()]: SCIM_CLAIMS_EXTENSION,
};
const NAME_SUB: Readonly<Record<string, keyof PersonName>> = {
  givenname: 'givenName',
  familyname: 'familyName',
  formatted: 'formatted',
};
const EMAIL_SUB: Readonly<Record<string, keyof UserEmail>> = { value: 'value', primary: 'primary', type: 'type' };

const MAX_TEXT = 256;
const MAX_EMAILS = 10;
const MAX_CLAIMS = 50;
const MAX_CLAIMS_JSON = 4096;
const MAX_CLAIM_DEPTH = 4;
const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** Names that reach an object's prototype when assigned: never a claim name (prototype pollution). */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const CONTROL = /[\u0000-\u001f\u007f]/;
// Deliberately loose (RFC 5321 is not a regex): one @, something on each side, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The canonical name of a top-level attribute, or undefined when the User schema has no such attribute. */
export function canonicalAttribute(name: string): string | undefined {
  return TOP_LEVEL[name.toLowerCase()];
}

/** RFC 7644 §3.12: a body that is not JSON is `invalidSyntax`. */
export function rejectMalformed(body: unknown): void {
  if (body instanceof MalformedScimBody) throw ScimError.invalidSyntax(body.detail);
}

/** Plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Renames the keys of `value` to their canonical names; unknown or repeated (by case) names are invalidSyntax. */
function canonicalKeys<K extends string>(
  value: Record<string, unknown>,
  names: Readonly<Record<string, K>>,
  where: string,
): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const [key, v] of Object.entries(value)) {
    const canonical = names[key.toLowerCase()];
    if (canonical === undefined) throw ScimError.invalidSyntax(`unknown attribute "${key}" in ${where}`);
    if (canonical in out) throw ScimError.invalidSyntax(`attribute "${canonical}" appears twice in ${where}`);
    out[canonical] = v;
  }
  return out;
}

/** A User document with canonical attribute names (unknown attributes are invalidSyntax). */
export function canonicalDocument(body: unknown): ScimUserDocument {
  rejectMalformed(body);
  if (!isObject(body)) throw ScimError.invalidSyntax('the request body must be a JSON object (a User resource)');
  return canonicalKeys(body, TOP_LEVEL, 'the User resource') as ScimUserDocument;
}

function text(value: unknown, attribute: string, required = false): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw ScimError.invalidValue(`${attribute} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw ScimError.invalidValue(`${attribute} must be a string`);
  const trimmed = value.trim();
  if (required && trimmed.length === 0) throw ScimError.invalidValue(`${attribute} must not be empty`);
  if (trimmed.length > MAX_TEXT) throw ScimError.invalidValue(`${attribute} must have at most ${MAX_TEXT} characters`);
  if (CONTROL.test(trimmed)) throw ScimError.invalidValue(`${attribute} must not contain control characters`);
  return trimmed.length === 0 ? undefined : trimmed;
}

function personName(value: unknown): PersonName | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw ScimError.invalidValue('name must be an object');
  const fields = canonicalKeys(value, NAME_SUB, 'name');
  const name: PersonName = {};
  for (const key of ['givenName', 'familyName', 'formatted'] as const) {
    const v = text(fields[key], `name.${key}`);
    if (v !== undefined) name[key] = v;
  }
  return Object.keys(name).length > 0 ? name : undefined;
}

function emails(value: unknown): UserEmail[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw ScimError.invalidValue('emails must be an array');
  if (value.length > MAX_EMAILS) throw ScimError.invalidValue(`at most ${MAX_EMAILS} emails`);
  const list = value.map((entry, i): UserEmail => {
    if (!isObject(entry)) throw ScimError.invalidValue(`emails[${i}] must be an object`);
    const fields = canonicalKeys(entry, EMAIL_SUB, `emails[${i}]`);
    const address = text(fields.value, `emails[${i}].value`, true)!;
    if (!EMAIL.test(address)) throw ScimError.invalidValue(`emails[${i}].value is not an email address`);
    const email: UserEmail = { value: address };
    if (fields.primary !== undefined && fields.primary !== null) {
      if (typeof fields.primary !== 'boolean') throw ScimError.invalidValue(`emails[${i}].primary must be a boolean`);
      if (fields.primary) email.primary = true;
    }
    const type = text(fields.type, `emails[${i}].type`);
    if (type !== undefined) email.type = type;
    return email;
  });
  // RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once.
  if (list.filter((e) => e.primary).length > 1) throw ScimError.invalidValue('only one email may be primary');
  return list;
}

function claimValue(value: unknown, path: string, depth: number): ClaimValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw ScimError.invalidValue(`claim ${path} must be a finite number`);
    return value;
  }
  if (depth >= MAX_CLAIM_DEPTH) throw ScimError.invalidValue(`claim ${path} is nested too deeply`);
  if (Array.isArray(value)) return value.map((v, i) => claimValue(v, `${path}[${i}]`, depth + 1));
  if (isObject(value)) {
    const entries = Object.entries(value);
    const bad = entries.find(([k]) => FORBIDDEN_NAMES.has(k));
    if (bad) throw ScimError.invalidValue(`claim ${path} has a member named "${bad[0]}", which is not allowed`);
    return Object.fromEntries(entries.map(([k, v]) => [k, claimValue(v, `${path}.${k}`, depth + 1)]));
  }
  throw ScimError.invalidValue(`claim ${path} is not a JSON value`);
}

/** The custom claims extension: an object of claims, none named like a registered claim. */
export function claims(value: unknown): Record<string, ClaimValue> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw ScimError.invalidValue(`${SCIM_CLAIMS_EXTENSION} must be an object of claims`);
  const entries = Object.entries(value);
  if (entries.length > MAX_CLAIMS) throw ScimError.invalidValue(`at most ${MAX_CLAIMS} custom claims`);
  const out: Record<string, ClaimValue> = {};
  for (const [name, v] of entries) {
    if (!CLAIM_NAME.test(name) || FORBIDDEN_NAMES.has(name)) {
      throw ScimError.invalidValue(`"${name}" is not a valid claim name`);
    }
    if (RESERVED_CLAIM_NAMES.has(name)) {
      throw ScimError.invalidValue(`"${name}" is a registered claim and cannot be set as a custom claim`);
    }
    out[name] = claimValue(v, name, 0);
  }
  if (JSON.stringify(out).length > MAX_CLAIMS_JSON) {
    throw ScimError.invalidValue(`custom claims must take at most ${MAX_CLAIMS_JSON} bytes as JSON`);
  }
  return out;
}

function schemas(value: unknown, hasExtension: boolean): void {
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) {
    throw ScimError.invalidValue('schemas must be an array of schema URIs');
  }
  const listed = new Set((value as string[]).map((s) => s.toLowerCase()));
  if (!listed.has(SCIM_USER_SCHEMA.toLowerCase()))
    throw ScimError.invalidValue(`schemas must include ${SCIM_USER_SCHEMA}`);
  for (const s of value as string[]) {
    if (s.toLowerCase() !== SCIM_USER_SCHEMA.toLowerCase() && s.toLowerCase() !== SCIM_CLAIMS_EXTENSION.toLowerCase()) {
      throw ScimError.invalidValue(`unsupported schema ${s}`);
    }
  }
  // RFC 7643 §3: the URIs of the extensions used are listed in "schemas".
  if (hasExtension && !listed.has(SCIM_CLAIMS_EXTENSION.toLowerCase())) {
    throw ScimError.invalidValue(`schemas must include ${SCIM_CLAIMS_EXTENSION} when it is used`);
  }
}

/**
 * A User resource from a POST or PUT body (RFC 7644 §3.3, §3.5.1), validated
 * strictly: unknown attributes are `invalidSyntax`, wrong values
 * `invalidValue`. `id` and `meta` are read-only and ignored (RFC 7643 §2.2);
 * `active` defaults to true; `password` is write-only.
 */
export function parseUserResource(body: unknown): UserInput {
  const doc = canonicalDocument(body);
  const extension = doc[SCIM_CLAIMS_EXTENSION];
  schemas(doc.schemas, extension !== undefined && extension !== null);
  const profile: UserProfile = {
    userName: text(doc.userName, 'userName', true)!,
    emails: emails(doc.emails),
    claims: claims(extension),
  };
  const name = personName(doc.name);
  if (name) profile.name = name;
  const displayName = text(doc.displayName, 'displayName');
  if (displayName !== undefined) profile.displayName = displayName;
  let active = true;
  if (doc.active !== undefined && doc.active !== null) {
    if (typeof doc.active !== 'boolean') throw ScimError.invalidValue('active must be a boolean');
    active = doc.active;
  }
  const input: UserInput = { active, profile };
  if (doc.password !== undefined && doc.password !== null) {
    if (typeof doc.password !== 'string') throw ScimError.invalidValue('password must be a string');
    input.password = doc.password;
  }
  return input;
}

/** A user as a User document (no password, no meta): what a PATCH starts from. */
export function userDocument(user: Pick<UserState, 'active' | 'profile'>): ScimUserDocument {
  const { profile } = user;
  return {
    schemas: [SCIM_USER_SCHEMA, SCIM_CLAIMS_EXTENSION],
    userName: profile.userName,
    ...(profile.name ? { name: { ...profile.name } } : {}),
    ...(profile.displayName !== undefined ? { displayName: profile.displayName } : {}),
    emails: profile.emails.map((e) => ({ ...e })),
    active: user.active,
    [SCIM_CLAIMS_EXTENSION]: { ...profile.claims },
  };
}
