import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/** The TSDoc of a controller class and of its methods, and the file that declares it. */
export interface ControllerDocs {
  file: string;
  doc?: string;
  methods: Record<string, string>;
}

function* controllerFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* controllerFiles(path);
    else if (entry.name.endsWith('.controller.ts')) yield path;
  }
}

function docOf(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const last = docs?.[docs.length - 1];
  if (!last) return undefined;
  const text = ts.getTextOfJSDocComment(last.comment) ?? '';
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat || undefined;
}

/**
 * The TSDoc comments of every `*.controller.ts` under `apps/` and `libs/`
 * (parsed, not type-checked), by controller class name: the human text of
 * each operation comes from the code it documents.
 */
export function readControllerDocs(root: string): Map<string, ControllerDocs> {
  const out = new Map<string, ControllerDocs>();
  for (const top of ['apps', 'libs']) {
    for (const file of controllerFiles(join(root, top))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      for (const statement of source.statements) {
        if (!ts.isClassDeclaration(statement) || !statement.name) continue;
        const methods: Record<string, string> = {};
        for (const member of statement.members) {
          if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
          const doc = docOf(member);
          if (doc) methods[member.name.text] = doc;
        }
        out.set(statement.name.text, {
          file: relative(root, file).split('\\').join('/'),
          doc: docOf(statement),
          methods,
        });
      }
    }
  }
  return out;
}
