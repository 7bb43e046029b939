import { InvalidRequestError, isScopeToken } from '@tessera/oauth';

/** The body of PUT /admin/scopes/:name. */
export interface ScopeDefinitionBody {
  description: string;
  claims: string[];
}

const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_NAME = 128;
const MAX_DESCRIPTION = 1000;
const MAX_CLAIMS = 50;

/** RFC 6749 §3.3 scope token, bounded in length. */
export function validateScopeName(name: string): string {
  if (name.length === 0 || name.length > MAX_NAME || !isScopeToken(name)) {
    throw new InvalidRequestError('a scope name is an RFC 6749 §3.3 scope token of at most 128 characters');
  }
  return name;
}

/** Hand validation of the JSON body; anything malformed is `invalid_request`, never a 500. */
export function validateScopeDefinition(body: unknown): ScopeDefinitionBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('the body must be a JSON object { description, claims }');
  }
  const { description, claims = [] } = body as Record<string, unknown>;
  if (typeof description !== 'string' || description.trim() === '' || description.length > MAX_DESCRIPTION) {
    throw new InvalidRequestError('description must be a non-empty string of at most 1000 characters');
  }
  if (
    !Array.isArray(claims) ||
    claims.length > MAX_CLAIMS ||
    !claims.every((c) => typeof c === 'string' && CLAIM_NAME.test(c))
  ) {
    throw new InvalidRequestError('claims must be an array of claim names');
  }
  if (new Set(claims).size !== claims.length) throw new InvalidRequestError('claims has duplicate entries');
  return { description, claims: [...(claims as string[])] };
}
