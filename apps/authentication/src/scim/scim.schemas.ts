/** RFC 7643 §4.1: the core User schema. */
export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** Tessera's custom claims, an object of claims (issue 5 §1). */
export const SCIM_CLAIMS_EXTENSION = 'urn:tessera:params:scim:schemas:extension:claims:2.0:User';
/** RFC 7644 §3.12. */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** RFC 7644 §3.4.2. */
export const SCIM_LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/** RFC 7644 §3.5.2. */
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** RFC 7644 §3.1: the SCIM media type. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
