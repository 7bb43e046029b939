import { join } from 'node:path';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  MODULE_METADATA,
  PATH_METADATA,
  REDIRECT_METADATA,
  RESPONSE_PASSTHROUGH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { SERVICE_NAMES, type ServiceName } from '@tessera/platform';

/** A named request input a handler reads through a Nest parameter decorator. */
export interface RouteInput {
  in: 'query' | 'header' | 'path' | 'body';
  /** Absent for the whole query, header bag or body. */
  name?: string;
}

/** One HTTP route as Nest registers it, with the metadata its decorators left. */
export interface Route {
  /** Upper-case HTTP method. */
  method: string;
  /** OpenAPI path template (`/oauth/register/{clientId}`). */
  path: string;
  /** The services whose process serves it (DESIGN §1), in DESIGN order. */
  services: ServiceName[];
  controller: string;
  handler: string;
  guards: string[];
  filters: string[];
  inputs: RouteInput[];
  /** `@HttpCode`, or Nest's default (201 for POST, else 200). */
  status: number;
  /** `@Header` response headers. */
  headers: Record<string, string>;
  /** The handler writes the reply itself (`@Res()` without passthrough): status and body are its own. */
  sendsReply: boolean;
  redirect?: { url: string; statusCode?: number };
}

/** What a module's `imports` may hold. */
export type ModuleRef = Type | DynamicModule | ForwardReference | Promise<DynamicModule> | undefined;

const name = (x: unknown): string =>
  typeof x === 'function' ? x.name : ((x as { constructor?: { name?: string } })?.constructor?.name ?? String(x));

/** Every controller a module brings, through its imports, as Nest's scanner finds them. */
async function controllersOf(root: ModuleRef, seen = new Set<unknown>(), out = new Set<Type>()): Promise<Set<Type>> {
  let ref: ModuleRef = await root;
  if (ref && 'forwardRef' in ref) ref = ref.forwardRef() as ModuleRef;
  if (!ref) return out;
  const dynamic = 'module' in ref ? ref : undefined;
  const cls = (dynamic ? dynamic.module : ref) as Type;
  const key = dynamic ?? cls;
  if (seen.has(key)) return out;
  seen.add(key);
  const imports: ModuleRef[] = [
    ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as ModuleRef[] | undefined) ?? []),
    ...((dynamic?.imports as ModuleRef[] | undefined) ?? []),
  ];
  const controllers: Type[] = [
    ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, cls) as Type[] | undefined) ?? []),
    ...(dynamic?.controllers ?? []),
  ];
  for (const c of controllers) out.add(c);
  for (const i of imports) await controllersOf(i, seen, out);
  return out;
}

const asList = (p: string | string[] | undefined): string[] => (p === undefined ? [''] : Array.isArray(p) ? p : [p]);

/** Nest's path joining, then `:name` → `{name}` (OpenAPI 3.1 §4.8.2). */
function pathTemplate(...parts: string[]): string {
  const joined =
    '/' +
    parts
      .map((p) => p.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/');
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function methodsOf(proto: object): string[] {
  const names = new Set<string>();
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n);
  }
  return [...names];
}

function inputsOf(controller: Type, handler: string): { inputs: RouteInput[]; sendsReply: boolean } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const inputs: RouteInput[] = [];
  let sendsReply = false;
  for (const [key, arg] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    const data = typeof arg.data === 'string' ? arg.data : undefined;
    if (type === RouteParamtypes.QUERY) inputs.push({ in: 'query', name: data });
    else if (type === RouteParamtypes.HEADERS) inputs.push({ in: 'header', name: data?.toLowerCase() });
    else if (type === RouteParamtypes.PARAM) inputs.push({ in: 'path', name: data });
    else if (type === RouteParamtypes.BODY) inputs.push({ in: 'body', name: data });
    // `@Res({ passthrough: true })` leaves the body and status to Nest.
    else if (type === RouteParamtypes.RESPONSE) {
      sendsReply = Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, handler) !== true;
    }
  }
  return { inputs, sendsReply };
}

/** The routes of one controller class, as Nest's RouterExplorer builds them. */
export function routesOf(controller: Type, services: ServiceName[]): Route[] {
  const routes: Route[] = [];
  const proto = controller.prototype as Record<string, unknown>;
  const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[];
  const classFilters = (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, controller) ?? []) as unknown[];
  for (const handler of methodsOf(proto)) {
    const fn = proto[handler];
    if (typeof fn !== 'function') continue;
    const methodPath = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
    if (methodPath === undefined || method === undefined) continue;
    const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, fn) ?? []) as unknown[])].map(name);
    const filters = [...classFilters, ...((Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, fn) ?? []) as unknown[])];
    const headers = Object.fromEntries(
      ((Reflect.getMetadata(HEADERS_METADATA, fn) ?? []) as { name: string; value: string }[]).map((h) => [
        h.name.toLowerCase(),
        h.value,
      ]),
    );
    const verb = RequestMethod[method];
    const code = Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined;
    const { inputs, sendsReply } = inputsOf(controller, handler);
    const redirect = Reflect.getMetadata(REDIRECT_METADATA, fn) as Route['redirect'] | undefined;
    for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined)) {
      for (const sub of asList(methodPath)) {
        routes.push({
          method: verb,
          path: pathTemplate(base, sub),
          services,
          controller: controller.name,
          handler,
          guards: [...new Set(guards)].sort(),
          filters: [...new Set(filters.map(name))].sort(),
          inputs,
          status: code ?? (verb === 'POST' ? 201 : 200),
          headers,
          sendsReply,
          ...(redirect?.url ? { redirect } : {}),
        });
      }
    }
  }
  return routes;
}

/** The routes of every controller a module brings through its imports, served by `services`. */
export async function routesOfModule(module: ModuleRef, services: ServiceName[]): Promise<Route[]> {
  return [...(await controllersOf(module))].flatMap((controller) => routesOf(controller, services));
}

/** The root module of a service's own process: `apps/<service>/src/<service>.app-module.ts`. */
function appModuleOf(service: ServiceName, root: string): Type {
  const exports = require(join(root, 'apps', service, 'src', `${service}.app-module`)) as Record<string, unknown>;
  const found = Object.entries(exports).find(([n, v]) => n.endsWith('AppModule') && typeof v === 'function');
  if (!found) throw new Error(`apps/${service}/src/${service}.app-module exports no *AppModule`);
  return found[1] as Type;
}

/**
 * Every route of every service (DESIGN §1), found from each service's app
 * module the way Nest's scanner finds them: module imports (dynamic modules
 * included), their controllers, and the route decorators' metadata. A route
 * served by several processes (health, metrics) lists them all.
 */
export async function collectRoutes(root: string): Promise<Route[]> {
  const byKey = new Map<string, Route>();
  for (const service of SERVICE_NAMES) {
    for (const route of await routesOfModule(appModuleOf(service, root), [service])) {
      const key = `${route.method} ${route.path}`;
      const known = byKey.get(key);
      if (!known) byKey.set(key, route);
      else if (known.controller !== route.controller) {
        throw new Error(`${key} is served by ${known.controller} and ${route.controller}: standalone would clash`);
      } else known.services = [...known.services, service];
    }
  }
  return [...byKey.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
