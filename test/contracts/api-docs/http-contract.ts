// What route metadata cannot tell about the protocol endpoints: media types,
// parameters, answers and errors, from the RFCs they implement. The one place
// to edit when an endpoint's contract changes; every key must match a route
// the services register (the api-docs check fails on a stale entry).

import { int, ref, type Schema, str } from './http-schemas';

/** One documented answer. */
export interface ContractResponse {
  description: string;
  /** Media type → schema. */
  content?: Record<string, Schema>;
  headers?: Record<string, string>;
}

/** What one endpoint takes and answers, beyond its route metadata. */
export interface EndpointContract {
  summary: string;
  /** OpenAPI security requirement alternatives (names in `securitySchemes`); `{}` = anonymous allowed. */
  security?: Security;
  /** Client authentication methods accepted (RFC 6749 §2.3, RFC 7523 §2.2, RFC 7591 §2 names). */
  clientAuth?: string[];
  query?: Record<string, Schema & { description?: string; required?: boolean }>;
  body?: { contentType: string; schema: Schema; required?: boolean }[];
  responses: Record<string, ContractResponse>;
}

/** OpenAPI security requirement alternatives. */
type Security = Record<string, string[]>[];

const json = (schema: Schema) => ({ 'application/json': schema });
const form = (schema: Schema) => ({ contentType: 'application/x-www-form-urlencoded', schema, required: true });

const oauthError = (description: string): ContractResponse => ({ description, content: json(ref('OAuthError')) });
const scimError = (description: string): ContractResponse => ({
  description,
  content: { 'application/scim+json': ref('ScimError') },
});
const adminOnly: Security = [{ adminToken: [] }];
/** Client authentication: HTTP Basic, or credentials in the form body (client_secret_post, private_key_jwt, none). */
const clientAuth: Security = [{ clientSecretBasic: [] }, {}];
const ANY_CLIENT = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
/** RFC 7662 §2.1: the caller must authenticate; a public client cannot. */
const CONFIDENTIAL_CLIENT = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

const scimUser = { 'application/scim+json': ref('ScimUser') };
const scimBody = (schema: Schema) => [
  { contentType: 'application/scim+json', schema, required: true },
  { contentType: 'application/json', schema, required: true },
];
const auditFilter = {
  subject: str('The user (or client) the records are about'),
  client: str('client_id'),
  action: str('Log event type, e.g. `access-token.issued`'),
  from: { type: 'string', format: 'date-time', description: 'Inclusive' },
  to: { type: 'string', format: 'date-time', description: 'Exclusive' },
  cursor: str('`next_cursor` of the previous page'),
  limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Page size (default 100)' },
};

/** Contracts by `METHOD /path` (OpenAPI path template). */
export const HTTP_CONTRACT: Record<string, EndpointContract> = {
  'POST /oauth/token': {
    summary: 'Token endpoint: every grant, including token exchange (RFC 6749 §3.2, RFC 8693)',
    security: clientAuth,
    clientAuth: ANY_CLIENT,
    body: [form(ref('TokenRequest'))],
    responses: {
      '200': { description: 'Tokens issued', content: json(ref('TokenResponse')) },
      '400': oauthError(
        'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target',
      ),
      '401': oauthError('invalid_client'),
    },
  },
  'POST /oauth/introspect': {
    summary:
      'Token introspection (RFC 7662), JSON or a signed JWT (RFC 9701, `Accept: application/token-introspection+jwt`)',
    security: clientAuth,
    clientAuth: CONFIDENTIAL_CLIENT,
    body: [form(ref('TokenRequestByHint'))],
    responses: {
      '200': {
        description: 'The token’s state',
        content: {
          ...json(ref('IntrospectionResponse')),
          'application/token-introspection+jwt': str('RFC 9701 §5 JWT'),
        },
      },
      '400': oauthError('invalid_request'),
      '401': oauthError('invalid_client'),
    },
  },
  'POST /oauth/revoke': {
    summary: 'Token revocation (RFC 7009); revokes the refresh family and exchanged descendants too',
    security: clientAuth,
    clientAuth: ANY_CLIENT,
    body: [form(ref('TokenRequestByHint'))],
    responses: {
      '200': { description: 'Revoked, or the token was unknown (RFC 7009 §2.2)' },
      '400': oauthError('invalid_request, unsupported_token_type'),
      '401': oauthError('invalid_client'),
    },
  },
  'POST /oauth/register': {
    summary: 'Dynamic client registration (RFC 7591); the admin token is the initial access token',
    security: adminOnly,
    body: [{ contentType: 'application/json', schema: ref('ClientRegistrationRequest'), required: true }],
    responses: {
      '201': { description: 'Registered', content: json(ref('ClientInformation')) },
      '400': oauthError('invalid_client_metadata, invalid_redirect_uri'),
      '401': oauthError('invalid_token'),
    },
  },
  'GET /oauth/register/{clientId}': {
    summary: 'Read a client’s registration (RFC 7592 §2.1)',
    security: [{ registrationAccessToken: [] }],
    responses: {
      '200': { description: 'The registration', content: json(ref('ClientInformation')) },
      '401': oauthError('invalid_token'),
    },
  },
  'PUT /oauth/register/{clientId}': {
    summary: 'Update a client’s registration (RFC 7592 §2.2)',
    security: [{ registrationAccessToken: [] }],
    body: [{ contentType: 'application/json', schema: ref('ClientRegistrationRequest'), required: true }],
    responses: {
      '200': { description: 'The updated registration', content: json(ref('ClientInformation')) },
      '400': oauthError('invalid_client_metadata, invalid_redirect_uri'),
      '401': oauthError('invalid_token'),
    },
  },
  'DELETE /oauth/register/{clientId}': {
    summary: 'Delete a client (RFC 7592 §2.3)',
    security: [{ registrationAccessToken: [] }],
    responses: { '204': { description: 'Deleted' }, '401': oauthError('invalid_token') },
  },
  'GET /userinfo': {
    summary: 'UserInfo (OIDC Core §5.3)',
    security: [{ accessToken: ['openid'] }],
    responses: {
      '200': { description: 'Claims about the user', content: json(ref('UserInfo')) },
      '401': { description: 'invalid_token, in `WWW-Authenticate` (RFC 6750 §3)' },
    },
  },
  'POST /userinfo': {
    summary: 'UserInfo (OIDC Core §5.3)',
    security: [{ accessToken: ['openid'] }],
    responses: {
      '200': { description: 'Claims about the user', content: json(ref('UserInfo')) },
      '401': { description: 'invalid_token, in `WWW-Authenticate` (RFC 6750 §3)' },
    },
  },
  'GET /jwks': {
    summary: 'Every service’s public signing keys (RFC 7517)',
    responses: { '200': { description: 'JWK set', content: { 'application/jwk-set+json': ref('JwkSet') } } },
  },
  'GET /.well-known/openid-configuration': {
    summary: 'OpenID Provider metadata (OpenID Connect Discovery 1.0 §4)',
    responses: { '200': { description: 'Metadata', content: json(ref('ServerMetadata')) } },
  },
  'GET /.well-known/oauth-authorization-server': {
    summary: 'Authorization server metadata (RFC 8414 §3)',
    responses: { '200': { description: 'Metadata', content: json(ref('ServerMetadata')) } },
  },
  'POST /scim/v2/Users': {
    summary: 'Create a user (RFC 7644 §3.3)',
    security: adminOnly,
    body: scimBody(ref('ScimUser')),
    responses: {
      '201': { description: 'Created', content: scimUser },
      '400': scimError('invalidValue, invalidSyntax'),
      '409': scimError('uniqueness'),
    },
  },
  'GET /scim/v2/Users': {
    summary: 'List or filter users (RFC 7644 §3.4.2)',
    security: adminOnly,
    query: {
      filter: str('RFC 7644 §3.4.2.2, e.g. `userName eq "alice"`'),
      startIndex: int('1-based'),
      count: int(),
    },
    responses: {
      '200': { description: 'A page of users', content: { 'application/scim+json': ref('ScimListResponse') } },
      '400': scimError('invalidFilter'),
    },
  },
  'GET /scim/v2/Users/{id}': {
    summary: 'Read a user (RFC 7644 §3.4.1)',
    security: adminOnly,
    responses: { '200': { description: 'The user', content: scimUser }, '404': scimError('Not found') },
  },
  'PUT /scim/v2/Users/{id}': {
    summary: 'Replace a user (RFC 7644 §3.5.1)',
    security: adminOnly,
    body: scimBody(ref('ScimUser')),
    responses: {
      '200': { description: 'The user', content: scimUser },
      '404': scimError('Not found'),
      '412': scimError('If-Match does not match the version'),
    },
  },
  'PATCH /scim/v2/Users/{id}': {
    summary: 'Modify a user (RFC 7644 §3.5.2)',
    security: adminOnly,
    body: scimBody(ref('ScimPatchOp')),
    responses: {
      '200': { description: 'The user', content: scimUser },
      '404': scimError('Not found'),
      '412': scimError('If-Match does not match the version'),
    },
  },
  'DELETE /scim/v2/Users/{id}': {
    summary: 'Delete a user: crypto-shreds their personal data (RFC 7644 §3.6)',
    security: adminOnly,
    responses: { '204': { description: 'Deleted' }, '404': scimError('Not found') },
  },
  'GET /audit/events': {
    summary: 'Query the audit trail with cursor pagination; NDJSON with `Accept: application/x-ndjson`',
    security: adminOnly,
    query: auditFilter,
    responses: {
      '200': {
        description: 'A page of records, or every matching record as NDJSON',
        content: { ...json(ref('AuditEventsPage')), 'application/x-ndjson': ref('AuditMessageData') },
      },
      '400': oauthError('invalid_request'),
      '401': oauthError('invalid_token'),
    },
  },
  'GET /audit/events.ndjson': {
    summary: 'Export the matching audit records as NDJSON, one AuditMessageData per line',
    security: adminOnly,
    query: auditFilter,
    responses: {
      '200': { description: 'Every matching record', content: { 'application/x-ndjson': ref('AuditMessageData') } },
      '400': oauthError('invalid_request'),
      '401': oauthError('invalid_token'),
    },
  },
};
