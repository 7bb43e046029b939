/** RFC 7644 §3.12 Table 9: the `scimType` detail error keywords Tessera uses. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A SCIM error response (RFC 7644 §3.12); thrown by the SCIM adapter code, rendered by ScimErrorFilter. */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
  ) {
    super(detail);
  }

  /** 400 `invalidValue`: a value is missing, of the wrong type or not allowed. */
  static invalidValue(detail: string): ScimError {
    return new ScimError(400, 'invalidValue', detail);
  }

  /** 400 `invalidSyntax`: the body does not have the request's structure. */
  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, 'invalidSyntax', detail);
  }
}
