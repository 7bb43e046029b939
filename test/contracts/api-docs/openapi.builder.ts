import * as oauth from '@tessera/oauth';
import { SERVICES, SERVICE_NAMES, STANDALONE_DEFAULT_PORT } from '@tessera/platform';
import { type ContractResponse, type EndpointContract, HTTP_CONTRACT } from './http-contract';
import { SCHEMAS, type Schema } from './http-schemas';
import type { Route } from './route-catalog';
import type { ControllerDocs } from './source-docs';

/** What the OpenAPI document is built from. */
export interface OpenApiSources {
  version: string;
  routes: Route[];
  docs: Map<string, ControllerDocs>;
  /** The schema of what a route's handler returns (its TypeScript return type), if anything. */
  returnSchema(route: Route): Schema | undefined;
  /** Schemas derived from TypeScript types, merged into `components.schemas`; read after the paths are built. */
  typeSchemas: Record<string, Schema>;
}

// OpenAPI 3.1 §4.8.8 has no "any method": `@All()` is documented under each.
const ALL_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const SECURITY_SCHEMES = {
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: '`Authorization: Bearer <TESSERA_ADMIN_TOKEN>` (DESIGN §9): admin APIs, SCIM, RFC 7591 registration.',
  },
  clientSecretBasic: {
    type: 'http',
    scheme: 'basic',
    description:
      'client_secret_basic (RFC 6749 §2.3.1). client_secret_post and private_key_jwt (RFC 7523 §2.2) send ' +
      'their credentials in the form body instead: see `x-tessera-client-auth`.',
  },
  accessToken: { type: 'http', scheme: 'bearer', description: 'An access token (RFC 6750 §2.1).' },
  registrationAccessToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The registration access token issued with the client (RFC 7592 §3).',
  },
};

/** Every RFC error code the protocol code can answer with, from the error classes of `@tessera/oauth`. */
export function oauthErrorCodes(): string[] {
  const codes = new Set<string>();
  for (const value of Object.values(oauth)) {
    if (typeof value !== 'function' || !(value.prototype instanceof oauth.OAuthError)) continue;
    try {
      const error = new (value as new (d?: string) => oauth.OAuthError)('');
      codes.add(error.error);
    } catch {
      // A class that needs more than a description is skipped; its code is listed by a sibling.
    }
  }
  return [...codes].sort();
}

function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // Up to the first full stop that ends a sentence (not the dots of `§3.1.2`).
  return text.split(/\.\s+(?=[A-Z`(])/)[0].replace(/\.$/, '');
}

function parameters(route: Route, contract: EndpointContract | undefined): Schema[] {
  const params: Schema[] = [];
  for (const match of route.path.matchAll(/\{([^}]+)\}/g)) {
    params.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  const query = new Map<string, Schema>();
  for (const input of route.inputs) {
    if (input.in === 'query' && input.name) query.set(input.name, { type: 'string' });
  }
  for (const [name, schema] of Object.entries(contract?.query ?? {})) query.set(name, schema);
  for (const [name, full] of query) {
    const { description, required, ...schema } = full as Schema & { description?: string; required?: boolean };
    params.push({
      name,
      in: 'query',
      required: required === true,
      ...(description ? { description } : {}),
      schema,
    });
  }
  for (const input of route.inputs) {
    // Authorization is a security scheme (OpenAPI 3.1 §4.8.12.1), and Accept/Content-Type are media types.
    if (input.in !== 'header' || !input.name || ['authorization', 'accept', 'content-type'].includes(input.name)) {
      continue;
    }
    params.push({ name: input.name, in: 'header', required: false, schema: { type: 'string' } });
  }
  return params.sort((a, b) => `${a.in} ${a.name}`.localeCompare(`${b.in} ${b.name}`));
}

function requestBody(route: Route, contract: EndpointContract | undefined): Schema | undefined {
  if (!route.inputs.some((i) => i.in === 'body')) return undefined;
  if (contract?.body) {
    return {
      required: contract.body.some((b) => b.required),
      content: Object.fromEntries(contract.body.map((b) => [b.contentType, { schema: b.schema }])),
    };
  }
  // Every app parses JSON and form bodies (libs/platform createHttpAdapter).
  const any = { schema: { type: 'object', additionalProperties: true } };
  return { content: { 'application/json': any, 'application/x-www-form-urlencoded': any } };
}

function response(r: ContractResponse, headers: Record<string, string>): Schema {
  const out: Schema = { description: r.description };
  if (r.content) out.content = Object.fromEntries(Object.entries(r.content).map(([t, schema]) => [t, { schema }]));
  const all = { ...headers, ...(r.headers ?? {}) };
  delete all['content-type'];
  if (Object.keys(all).length > 0) {
    out.headers = Object.fromEntries(
      Object.entries(all).map(([name, value]) => [name, { schema: { type: 'string', const: value } }]),
    );
  }
  return out;
}

/** Without a contract: the handler's return type, serialised as JSON (a string is sent as is). */
function derivedResponses(route: Route, returned: Schema | undefined): Record<string, ContractResponse> {
  // A handler that sends the reply itself decides the status (a page, a 303, a stream).
  if (route.sendsReply) return { default: { description: 'Written by the handler (page, redirect or stream)' } };
  const type = route.headers['content-type'] ?? (returned?.type === 'string' ? 'text/plain' : 'application/json');
  return {
    [String(route.status)]: {
      description: returned ? 'Success' : 'Success, no body',
      ...(returned ? { content: { [type]: returned } } : {}),
    },
  };
}

function responses(route: Route, contract: EndpointContract | undefined, returned: () => Schema | undefined): Schema {
  const given = contract?.responses ?? derivedResponses(route, returned());
  const out: Record<string, Schema> = {};
  for (const [code, r] of Object.entries(given)) {
    out[code] = response(r, code.startsWith('2') || code === 'default' ? route.headers : {});
  }
  if (route.guards.includes('AdminTokenGuard') && !out['401']) {
    out['401'] = response({ description: 'invalid_token', content: { 'application/json': ref('OAuthError') } }, {});
  }
  if (route.filters.includes('OAuthErrorFilter') && !out['400']) {
    out['400'] = response({ description: 'OAuth error', content: { 'application/json': ref('OAuthError') } }, {});
  }
  if (route.filters.includes('ScimErrorFilter') && !out['400']) {
    out['400'] = response({ description: 'SCIM error', content: { 'application/scim+json': ref('ScimError') } }, {});
  }
  return out;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

function operation(route: Route, method: string, docs: ControllerDocs | undefined, sources: OpenApiSources): Schema {
  const contract = HTTP_CONTRACT[`${route.method} ${route.path}`];
  const methodDoc = docs?.methods[route.handler];
  const description = [docs?.doc, methodDoc].filter(Boolean).join('\n\n');
  const security = contract?.security ?? (route.guards.includes('AdminTokenGuard') ? [{ adminToken: [] }] : undefined);
  const op: Schema = {
    operationId: `${route.controller}.${route.handler}${route.method === 'ALL' ? `.${method}` : ''}`,
    summary: contract?.summary ?? firstSentence(methodDoc) ?? firstSentence(docs?.doc) ?? route.handler,
    tags: route.services,
    'x-tessera-services': route.services,
    ...(docs ? { 'x-tessera-source': `${docs.file}#${route.controller}.${route.handler}` } : {}),
    ...(description ? { description } : {}),
    parameters: parameters(route, contract),
    responses: responses(route, contract, () => sources.returnSchema(route)),
  };
  const body = requestBody(route, contract);
  if (body) op.requestBody = body;
  if (security) op.security = security;
  if (contract?.clientAuth) op['x-tessera-client-auth'] = contract.clientAuth;
  if (route.guards.length > 0) op['x-tessera-guards'] = route.guards;
  return op;
}

/**
 * The OpenAPI 3.1 document of every HTTP endpoint (DESIGN §1): one path per
 * route the services register, tagged with the services that serve it.
 */
export function buildOpenApi(sources: OpenApiSources): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of sources.routes) {
    const item = (paths[route.path] ??= {});
    const methods = route.method === 'ALL' ? ALL_METHODS : [route.method.toLowerCase()];
    for (const method of methods) {
      item[method] = operation(route, method, sources.docs.get(route.controller), sources);
    }
  }
  const clash = Object.keys(SCHEMAS).filter((name) => name in sources.typeSchemas);
  if (clash.length > 0) throw new Error(`http-contract.ts schemas shadow TypeScript types: ${clash.join(', ')}`);
  const errorCodes = oauthErrorCodes();
  const oauthErrorSchema = SCHEMAS.OAuthError as { properties: Record<string, Schema> };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera HTTP API',
      version: sources.version,
      description:
        'Every HTTP endpoint of the Tessera services, generated from the code (`npm run docs:api`). The URL ' +
        'layout is the same in every mode: in distributed mode the gateway routes a path to the service in ' +
        '`x-tessera-services`; the standalone process serves every path (DESIGN §1, §6).',
    },
    servers: [
      { url: `http://localhost:${STANDALONE_DEFAULT_PORT}`, description: 'standalone: every path' },
      ...SERVICE_NAMES.map((s) => ({
        url: `http://localhost:${SERVICES[s].defaultPort}`,
        description: `${s} service (distributed mode): paths tagged ${s}`,
      })),
    ],
    tags: SERVICE_NAMES.map((s) => ({ name: s, description: `apps/${s}` })),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: {
        ...sources.typeSchemas,
        ...SCHEMAS,
        OAuthError: {
          ...SCHEMAS.OAuthError,
          properties: { ...oauthErrorSchema.properties, error: { type: 'string', enum: errorCodes } },
        },
      },
    },
  };
}
