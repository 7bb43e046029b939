import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A log event type and where its wire string is written (STYLE 3). */
export interface EventType {
  type: string;
  /** `<file>#<constant>`, relative to the repository root. */
  constant: string;
}

// `<aggregate>.<past-tense-verb>` (DESIGN §2); integration types (`tessera.audit.v1`) do not match.
const LOG_EVENT_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

function* eventFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* eventFiles(path);
    else if (entry.name.endsWith('.events.ts')) yield path;
  }
}

/** The files that declare log events: `libs/contracts/src/*.events.ts` and any `apps/<service>/src/**\/*.events.ts`. */
export function eventSourceFiles(root: string): string[] {
  const files = [...eventFiles(join(root, 'libs', 'contracts', 'src'))];
  for (const app of readdirSync(join(root, 'apps'), { withFileTypes: true })) {
    if (app.isDirectory()) files.push(...eventFiles(join(root, 'apps', app.name, 'src')));
  }
  return files.sort();
}

/**
 * Every log event type, read from the loaded modules: the values of each
 * exported `*Events` object and `*_EVENT_TYPES` list, so that a new event
 * constant appears in the AsyncAPI document without anyone listing it.
 */
export function collectEventTypes(root: string, files: string[]): EventType[] {
  const found = new Map<string, EventType>();
  for (const file of files) {
    const exports = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports).sort(([a], [b]) => a.localeCompare(b))) {
      let values: unknown[] = [];
      if (name.endsWith('Events') && value && typeof value === 'object' && !Array.isArray(value)) {
        values = Object.values(value);
      } else if (name.endsWith('_EVENT_TYPES') && Array.isArray(value)) values = value;
      for (const type of values) {
        if (typeof type !== 'string' || !LOG_EVENT_TYPE.test(type) || found.has(type)) continue;
        found.set(type, { type, constant: `${relative(root, file).split('\\').join('/')}#${name}` });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.type.localeCompare(b.type));
}

const pascal = (s: string): string =>
  s
    .split(/[-.]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/**
 * The `…Data` interface of an event type: the one whose TSDoc opens with
 * "Data of `<type>`" or "`<type>`", else `<Aggregate><Verb>Data`, else `<Verb>Data`.
 */
export function dataTypeOf(type: string, types: { name: string; doc: string }[]): string | undefined {
  const data = types.filter((t) => t.name.endsWith('Data'));
  const byDoc = data.find((t) => t.doc.startsWith(`Data of \`${type}\``) || t.doc.startsWith(`\`${type}\``));
  if (byDoc) return byDoc.name;
  const verb = type.slice(type.indexOf('.') + 1);
  for (const candidate of [`${pascal(type)}Data`, `${pascal(verb)}Data`]) {
    if (data.some((t) => t.name === candidate)) return candidate;
  }
  return undefined;
}
