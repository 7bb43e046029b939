import { canonicalAttribute, isObject, rejectMalformed, type ScimUserDocument } from './scim-user.parser';
import { ScimError } from './scim.error';
import { SCIM_CLAIMS_EXTENSION, SCIM_PATCH_OP_SCHEMA, SCIM_USER_SCHEMA } from './scim.schemas';

/** One PATCH operation (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** Where an operation applies: an attribute, maybe a sub-attribute (or, in the extension, a claim). */
interface Target {
  attribute: string;
  sub?: string;
}

const MAX_OPERATIONS = 100;
const SUB_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  name: { givenname: 'givenName', familyname: 'familyName', formatted: 'formatted' },
};
/** Attributes a PATCH may not remove (RFC 7644 §3.5.2.2): required, or a remove with no meaning. */
const NOT_REMOVABLE = new Set(['userName', 'active', 'password', 'schemas']);

/** The operations of a PATCH body (RFC 7644 §3.5.2), validated. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  rejectMalformed(body);
  if (!isObject(body)) throw ScimError.invalidSyntax('the request body must be a PatchOp JSON object');
  const schemas = body.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM_PATCH_OP_SCHEMA.toLowerCase())
  ) {
    throw ScimError.invalidSyntax(`schemas must be ["${SCIM_PATCH_OP_SCHEMA}"]`);
  }
  const operationsKey = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const operations = operationsKey === undefined ? undefined : body[operationsKey];
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('Operations must be a non-empty array');
  }
  if (operations.length > MAX_OPERATIONS) throw ScimError.invalidSyntax(`at most ${MAX_OPERATIONS} operations`);
  for (const key of Object.keys(body)) {
    if (key !== 'schemas' && key !== operationsKey)
      throw ScimError.invalidSyntax(`unknown attribute "${key}" in PatchOp`);
  }
  return operations.map((raw, i) => {
    if (!isObject(raw)) throw ScimError.invalidSyntax(`Operations[${i}] must be an object`);
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      const key = k.toLowerCase();
      if (key !== 'op' && key !== 'path' && key !== 'value') {
        throw ScimError.invalidSyntax(`unknown attribute "${k}" in Operations[${i}]`);
      }
      fields[key] = v;
    }
    // Operation names are case-insensitive in practice (clients send "Replace").
    const op = typeof fields.op === 'string' ? fields.op.toLowerCase() : undefined;
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw ScimError.invalidSyntax(`Operations[${i}].op must be add, replace or remove`);
    }
    if (fields.path !== undefined && typeof fields.path !== 'string') {
      throw ScimError.invalidSyntax(`Operations[${i}].path must be a string`);
    }
    if (op !== 'remove' && fields.value === undefined) {
      throw ScimError.invalidSyntax(`Operations[${i}] (${op}) needs a value`);
    }
    const operation: PatchOperation = { op };
    if (fields.path !== undefined) operation.path = fields.path as string;
    if (fields.value !== undefined) operation.value = fields.value;
    return operation;
  });
}

/**
 * Resolves a PATCH path (RFC 7644 §3.5.2, `attrPath` only): `attr`,
 * `attr.sub`, either with the core schema URI prefix, the extension's URI, or
 * the extension's URI `:claim`. Value filters (`emails[type eq "work"]`) are
 * not supported: 400 `invalidPath`.
 */
export function resolvePath(path: string): Target {
  const trimmed = path.trim();
  if (trimmed.includes('['))
    throw new ScimError(400, 'invalidPath', `value filters in paths are not supported: ${path}`);
  const lower = trimmed.toLowerCase();
  const extension = SCIM_CLAIMS_EXTENSION.toLowerCase();
  if (lower === extension) return { attribute: SCIM_CLAIMS_EXTENSION };
  if (lower.startsWith(`${extension}:`)) {
    const claim = trimmed.slice(extension.length + 1);
    if (claim.length === 0) throw new ScimError(400, 'invalidPath', `no claim named in ${path}`);
    return { attribute: SCIM_CLAIMS_EXTENSION, sub: claim };
  }
  const core = `${SCIM_USER_SCHEMA.toLowerCase()}:`;
  const local = lower.startsWith(core) ? trimmed.slice(core.length) : trimmed;
  const [head, sub, ...rest] = local.split('.');
  const attribute = canonicalAttribute(head);
  if (attribute === undefined || attribute === 'id' || attribute === 'meta' || rest.length > 0) {
    throw new ScimError(400, 'invalidPath', `no such attribute: ${path}`);
  }
  if (sub === undefined) return { attribute };
  const canonicalSub = SUB_ATTRIBUTES[attribute]?.[sub.toLowerCase()];
  if (canonicalSub === undefined) throw new ScimError(400, 'invalidPath', `no such attribute: ${path}`);
  return { attribute, sub: canonicalSub };
}

function isComplex(attribute: string): boolean {
  return attribute === 'name' || attribute === SCIM_CLAIMS_EXTENSION;
}

/** RFC 7643 §2.4: assigning a primary email makes every other one non-primary. */
function withSinglePrimary(existing: unknown[], added: unknown[]): unknown[] {
  const addsPrimary = added.some((e) => isObject(e) && e.primary === true);
  const kept = addsPrimary ? existing.map((e) => (isObject(e) ? { ...e, primary: false } : e)) : existing;
  return [...kept, ...added];
}

function apply(doc: ScimUserDocument, op: PatchOperation['op'], target: Target, value: unknown): void {
  const { attribute, sub } = target;
  if (op === 'remove') {
    if (NOT_REMOVABLE.has(attribute)) throw ScimError.invalidValue(`${attribute} cannot be removed`);
    if (sub === undefined) {
      delete doc[attribute];
    } else if (isObject(doc[attribute])) {
      const copy = { ...(doc[attribute] as Record<string, unknown>) };
      delete copy[sub];
      doc[attribute] = copy;
    }
    return;
  }
  if (sub !== undefined) {
    const parent = isObject(doc[attribute]) ? (doc[attribute] as Record<string, unknown>) : {};
    doc[attribute] = { ...parent, [sub]: value };
    return;
  }
  if (attribute === 'emails') {
    const added = Array.isArray(value) ? value : [value];
    const existing = op === 'add' && Array.isArray(doc.emails) ? doc.emails : [];
    doc.emails = withSinglePrimary(existing, added);
    return;
  }
  if (isComplex(attribute)) {
    // RFC 7644 §3.5.2.1/§3.5.2.3: on a complex attribute the given sub-attributes are set, the others kept.
    if (!isObject(value)) throw ScimError.invalidValue(`${attribute} must be an object`);
    const parent = isObject(doc[attribute]) ? (doc[attribute] as Record<string, unknown>) : {};
    doc[attribute] = { ...parent, ...value };
    return;
  }
  doc[attribute] = value;
}

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a User document, in order;
 * the result is validated again as a whole resource by the caller. Without a
 * path, `value` is an object of attributes (paths allowed as keys).
 */
export function applyPatch(document: ScimUserDocument, operations: readonly PatchOperation[]): ScimUserDocument {
  const doc: ScimUserDocument = structuredClone(document);
  for (const operation of operations) {
    if (operation.path !== undefined) {
      apply(doc, operation.op, resolvePath(operation.path), operation.value);
      continue;
    }
    // RFC 7644 §3.5.2.2: a remove needs a path.
    if (operation.op === 'remove') throw new ScimError(400, 'noTarget', 'remove needs a path');
    if (!isObject(operation.value)) {
      throw ScimError.invalidSyntax(`${operation.op} without a path needs an object of attributes as its value`);
    }
    for (const [key, value] of Object.entries(operation.value)) {
      if (key.toLowerCase() === 'schemas') continue;
      apply(doc, operation.op, resolvePath(key), value);
    }
  }
  return doc;
}
