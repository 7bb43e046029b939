// Reusable schemas of the protocol endpoints (RFC 6749, 7591, 7662, 8414, 7643/7644),
// referenced from http-contract.ts as `#/components/schemas/<Name>`.

/** A JSON Schema (OpenAPI 3.1 dialect). */
export type Schema = Record<string, unknown>;

/** A string, with its description. */
export const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
/** An integer, with its description. */
export const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
/** A reference to a component schema. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** Reusable schemas, under `components.schemas`. */
export const SCHEMAS: Record<string, Schema> = {
  ClientCredentialsInBody: {
    type: 'object',
    description: 'RFC 6749 §2.3.1 client_secret_post, RFC 7523 §2.2 private_key_jwt, or a public client_id.',
    properties: {
      client_id: str(),
      client_secret: str(),
      client_assertion: str('A JWT signed with a key of the client (RFC 7523 §2.2).'),
      client_assertion_type: { const: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
    },
  },
  TokenRequest: {
    allOf: [
      ref('ClientCredentialsInBody'),
      {
        type: 'object',
        required: ['grant_type'],
        properties: {
          grant_type: {
            type: 'string',
            enum: [
              'authorization_code',
              'client_credentials',
              'refresh_token',
              'urn:ietf:params:oauth:grant-type:token-exchange',
            ],
          },
          code: str('authorization_code (RFC 6749 §4.1.3)'),
          redirect_uri: str('authorization_code'),
          code_verifier: str('PKCE (RFC 7636 §4.5)'),
          refresh_token: str('refresh_token (RFC 6749 §6)'),
          scope: str('Space-separated scopes (RFC 6749 §3.3)'),
          resource: { type: 'array', items: str(), description: 'RFC 8707 resource indicators' },
          audience: str('RFC 8693 §2.1'),
          subject_token: str('RFC 8693 §2.1'),
          subject_token_type: str('RFC 8693 §2.1'),
          actor_token: str('RFC 8693 §2.1'),
          actor_token_type: str('RFC 8693 §2.1'),
          requested_token_type: str('RFC 8693 §2.1'),
        },
      },
    ],
  },
  TokenResponse: {
    type: 'object',
    description: 'RFC 6749 §5.1, OIDC Core §3.1.3.3, RFC 8693 §2.2.1.',
    required: ['access_token', 'token_type', 'expires_in'],
    properties: {
      access_token: str('Opaque reference (`tsr_at_…`) or RFC 9068 JWT'),
      token_type: { type: 'string', enum: ['Bearer', 'N_A'] },
      expires_in: int('Seconds'),
      refresh_token: str(),
      scope: str(),
      id_token: str(),
      issued_token_type: str('RFC 8693 §2.2.1'),
    },
  },
  OAuthError: {
    type: 'object',
    description: 'RFC 6749 §5.2; 5xx answers are a bare `server_error`.',
    required: ['error'],
    properties: { error: str(), error_description: str(), error_uri: str() },
  },
  TokenRequestByHint: {
    allOf: [
      ref('ClientCredentialsInBody'),
      {
        type: 'object',
        required: ['token'],
        properties: {
          token: str(),
          token_type_hint: { type: 'string', enum: ['access_token', 'refresh_token'] },
        },
      },
    ],
  },
  IntrospectionResponse: {
    type: 'object',
    description: 'RFC 7662 §2.2; `{ "active": false }` for any token that is not active.',
    required: ['active'],
    properties: {
      active: { type: 'boolean' },
      scope: str(),
      client_id: str(),
      username: str(),
      token_type: str(),
      exp: int(),
      iat: int(),
      nbf: int(),
      sub: str(),
      aud: { oneOf: [str(), { type: 'array', items: str() }] },
      iss: str(),
      jti: str(),
      act: { type: 'object', description: 'RFC 8693 §4.1 delegation chain' },
    },
    additionalProperties: true,
  },
  ClientRegistrationRequest: {
    type: 'object',
    description: 'RFC 7591 §2 client metadata.',
    properties: {
      redirect_uris: { type: 'array', items: str() },
      token_endpoint_auth_method: {
        type: 'string',
        enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      },
      grant_types: { type: 'array', items: str() },
      response_types: { type: 'array', items: str() },
      client_name: str(),
      scope: str(),
      jwks: ref('JwkSet'),
      jwks_uri: str(),
    },
    additionalProperties: true,
  },
  ClientInformation: {
    allOf: [
      ref('ClientRegistrationRequest'),
      {
        type: 'object',
        description: 'RFC 7591 §3.2.1, RFC 7592 §3.',
        required: ['client_id'],
        properties: {
          client_id: str(),
          client_secret: str('Shown once; only its SHA-256 is kept'),
          client_id_issued_at: int(),
          client_secret_expires_at: int(),
          registration_access_token: str(),
          registration_client_uri: str(),
        },
      },
    ],
  },
  JwkSet: {
    type: 'object',
    description: 'RFC 7517 §5: public keys only.',
    required: ['keys'],
    properties: { keys: { type: 'array', items: { type: 'object', required: ['kty'], additionalProperties: true } } },
  },
  ServerMetadata: {
    type: 'object',
    description: 'RFC 8414 §2, OpenID Connect Discovery 1.0 §3.',
    required: ['issuer', 'token_endpoint', 'jwks_uri'],
    properties: {
      issuer: str(),
      authorization_endpoint: str(),
      token_endpoint: str(),
      introspection_endpoint: str(),
      revocation_endpoint: str(),
      registration_endpoint: str(),
      userinfo_endpoint: str(),
      jwks_uri: str(),
      grant_types_supported: { type: 'array', items: str() },
      scopes_supported: { type: 'array', items: str() },
      token_endpoint_auth_methods_supported: { type: 'array', items: str() },
    },
    additionalProperties: true,
  },
  UserInfo: {
    type: 'object',
    description: 'OIDC Core §5.3.2: the claims the access token’s scopes release.',
    required: ['sub'],
    properties: { sub: str() },
    additionalProperties: true,
  },
  ScimUser: {
    type: 'object',
    description: 'RFC 7643 §4.1 User.',
    required: ['schemas', 'userName'],
    properties: {
      schemas: { type: 'array', items: str() },
      id: str(),
      externalId: str(),
      userName: str(),
      name: { type: 'object', additionalProperties: true },
      emails: { type: 'array', items: { type: 'object', additionalProperties: true } },
      active: { type: 'boolean' },
      password: { type: 'string', writeOnly: true },
      meta: { type: 'object', additionalProperties: true },
    },
    additionalProperties: true,
  },
  ScimListResponse: {
    type: 'object',
    description: 'RFC 7644 §3.4.2.',
    required: ['schemas', 'totalResults', 'Resources'],
    properties: {
      schemas: { type: 'array', items: str() },
      totalResults: int(),
      startIndex: int(),
      itemsPerPage: int(),
      Resources: { type: 'array', items: ref('ScimUser') },
    },
  },
  ScimPatchOp: {
    type: 'object',
    description: 'RFC 7644 §3.5.2.',
    required: ['schemas', 'Operations'],
    properties: {
      schemas: { type: 'array', items: str() },
      Operations: {
        type: 'array',
        items: {
          type: 'object',
          required: ['op'],
          properties: { op: { type: 'string', enum: ['add', 'remove', 'replace'] }, path: str(), value: {} },
        },
      },
    },
  },
  ScimError: {
    type: 'object',
    description: 'RFC 7644 §3.12.',
    required: ['schemas', 'status'],
    properties: { schemas: { type: 'array', items: str() }, status: str(), scimType: str(), detail: str() },
  },
  AuditEventsPage: {
    type: 'object',
    required: ['records'],
    properties: {
      records: { type: 'array', items: { $ref: '#/components/schemas/AuditMessageData' } },
      next_cursor: str('Present when more records match: pass it as `cursor`'),
    },
  },
};
