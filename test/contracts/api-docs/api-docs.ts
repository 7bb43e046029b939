import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { buildAsyncApi } from './asyncapi.builder';
import { collectEventTypes, dataTypeOf, eventSourceFiles } from './event-catalog';
import { buildOpenApi } from './openapi.builder';
import { collectRoutes } from './route-catalog';
import { readControllerDocs } from './source-docs';
import { type JsonSchema, TypeSchemas } from './type-schemas';

/** The repository root. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Where the generated documents are checked in, relative to the repository root. */
export const API_DOC_FILES = { openapi: 'docs/api/openapi.json', asyncapi: 'docs/api/asyncapi.json' } as const;

/** The generated documents, by file. */
export type ApiDocs = Record<(typeof API_DOC_FILES)[keyof typeof API_DOC_FILES], JsonSchema>;

/** Types named by the documents besides the event data types. */
const NAMED_TYPES = ['CloudEvent', 'RevocationMessageData', 'AuditMessageData'];

/** Deep copy with object keys sorted, so that the files do not depend on declaration order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Generates the OpenAPI and AsyncAPI documents from the code: the routes of
 * every service's app module, the controllers' TSDoc and return types, the
 * event constants of `*.events.ts` files and the TypeScript types of their data.
 */
export async function generateApiDocs(root = REPO_ROOT): Promise<ApiDocs> {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const eventFiles = eventSourceFiles(root);
  const schemaFiles = [
    ...eventFiles,
    join(root, 'libs', 'contracts', 'src', 'index.ts'),
    join(root, 'libs', 'messaging', 'src', 'cloud-event.ts'),
  ];
  const docs = readControllerDocs(root);
  const controllerFiles = [...new Set([...docs.values()].map((d) => join(root, d.file)))].sort();
  // One program over the event files and the controllers, resolved as tsconfig.json resolves `@tessera/*`.
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const types = new TypeSchemas([...schemaFiles, ...controllerFiles], schemaFiles, config?.options ?? {});
  const named = types.types();
  const events = collectEventTypes(root, eventFiles).map((e) => ({ ...e, dataType: dataTypeOf(e.type, named) }));
  for (const name of NAMED_TYPES) types.ref(name);
  for (const e of events) if (e.dataType) types.ref(e.dataType);
  const eventSchemas = { ...types.definitions };
  const asyncapi = buildAsyncApi({ version, events, schemas: eventSchemas });

  const routes = await collectRoutes(root);
  const openapi = buildOpenApi({
    version,
    routes,
    docs,
    returnSchema: (route) => {
      const file = docs.get(route.controller)?.file;
      return file ? types.returnSchema(join(root, file), route.controller, route.handler) : undefined;
    },
    typeSchemas: types.definitions,
  });
  return {
    [API_DOC_FILES.openapi]: sortKeys(openapi) as JsonSchema,
    [API_DOC_FILES.asyncapi]: sortKeys(asyncapi) as JsonSchema,
  };
}
