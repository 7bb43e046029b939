// A small renderer for the subset of Go templates (text/template) and Helm functions that
// deploy/helm/tessera uses, so that the chart's manifests can be rendered and checked without a
// `helm` binary (none is installable here). It follows text/template's rules where it implements
// them — `{{-`/`-}}` trimming, `range` over a map in key order, `$` as the data of the running
// template, variables scoped to their block — and throws on anything it does not implement, so a
// template using more than this subset fails the test instead of rendering wrongly.
import { stringify } from 'yaml';

type Value = unknown;
type Fn = (...args: Value[]) => Value;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if'; branches: { cond: Pipeline; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'with'; pipe: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'template'; name: string; pipe?: Pipeline };

interface Pipeline {
  decl: string[];
  commands: Operand[][];
}

type Operand =
  | { kind: 'literal'; value: Value }
  | { kind: 'field'; path: string[] }
  | { kind: 'variable'; name: string; path: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'sub'; pipe: Pipeline; path: string[] };

/** One `{{ … }}` of the source, after trimming, or the text between two of them. */
type Piece = { kind: 'text'; text: string } | { kind: 'action'; source: string };

function lex(source: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = source;
  let trimNext = false;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    let text = open < 0 ? rest : rest.slice(0, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) pieces.push({ kind: 'text', text });
      break;
    }
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new Error('unclosed action');
    let inner = rest.slice(open + 2, close);
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    trimNext = /\s-$/.test(inner);
    if (trimNext) inner = inner.slice(0, -1);
    if (text) pieces.push({ kind: 'text', text });
    inner = inner.trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) pieces.push({ kind: 'action', source: inner });
    rest = rest.slice(close + 2);
  }
  return pieces;
}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(:=|=|\||\(|\)|,)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(\.(?:[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)?)|([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`cannot read "${source.slice(at)}" in {{ ${source} }}`);
    if (m[8]) throw new Error(`field access on a function result is not supported: ${m[0].trim()}`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

function parsePipeline(source: string): Pipeline {
  const tokens = tokenize(source);
  let i = 0;
  const decl: string[] = [];
  const assign = tokens.findIndex((t) => t === ':=' || t === '=');
  if (assign >= 0 && tokens.slice(0, assign).every((t) => t === ',' || t.startsWith('$'))) {
    decl.push(...tokens.slice(0, assign).filter((t) => t !== ','));
    i = assign + 1;
  }
  function pipeline(stopAtParen: boolean): Pipeline {
    const commands: Operand[][] = [[]];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t === ')') {
        if (!stopAtParen) throw new Error(`unexpected ) in {{ ${source} }}`);
        return { decl: [], commands };
      }
      if (t === '|') commands.push([]);
      else if (t === '(') {
        const pipe = pipeline(true);
        commands[commands.length - 1].push({ kind: 'sub', pipe, path: [] });
      } else commands[commands.length - 1].push(operand(t));
    }
    if (stopAtParen) throw new Error(`missing ) in {{ ${source} }}`);
    return { decl: [], commands };
  }
  const pipe = pipeline(false);
  if (pipe.commands.some((c) => c.length === 0)) throw new Error(`empty command in {{ ${source} }}`);
  return { decl, commands: pipe.commands };
}

function operand(t: string): Operand {
  if (t.startsWith('"')) return { kind: 'literal', value: JSON.parse(t) };
  if (t.startsWith('`')) return { kind: 'literal', value: t.slice(1, -1) };
  if (/^-?\d/.test(t)) return { kind: 'literal', value: Number(t) };
  if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
  if (t === 'nil') return { kind: 'literal', value: null };
  if (t.startsWith('$')) {
    const [name, ...path] = t.split('.');
    return { kind: 'variable', name, path };
  }
  if (t.startsWith('.')) return { kind: 'field', path: t === '.' ? [] : t.slice(1).split('.') };
  return { kind: 'ident', name: t };
}

/** Parses a template source into its tree, collecting `define`d templates into `defines`. */
function parse(source: string, defines: Map<string, Node[]>): Node[] {
  const pieces = lex(source);
  let i = 0;
  function block(terminators: string[]): { nodes: Node[]; end: string } {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const piece = pieces[i++];
      if (piece.kind === 'text') {
        nodes.push(piece);
        continue;
      }
      const [keyword] = piece.source.split(/\s+/, 1);
      const rest = piece.source.slice(keyword.length).trim();
      if (terminators.includes(keyword) || (keyword === 'else' && terminators.includes('else'))) {
        i--;
        return { nodes, end: keyword };
      }
      if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
        nodes.push(control(keyword, rest));
      } else if (keyword === 'define') {
        const name = JSON.parse(rest) as string;
        const body = block(['end']);
        i++;
        defines.set(name, body.nodes);
      } else if (keyword === 'template') {
        const m = /^("(?:[^"\\]|\\.)*")\s*(.*)$/.exec(rest);
        if (!m) throw new Error(`bad template action: ${piece.source}`);
        nodes.push({ kind: 'template', name: JSON.parse(m[1]), pipe: m[2] ? parsePipeline(m[2]) : undefined });
      } else if (keyword === 'end' || keyword === 'else') {
        throw new Error(`unexpected {{ ${piece.source} }}`);
      } else if (['block', 'break', 'continue'].includes(keyword)) {
        throw new Error(`{{ ${keyword} }} is not supported by this renderer`);
      } else {
        nodes.push({ kind: 'action', pipe: parsePipeline(piece.source) });
      }
    }
    if (terminators.length > 0) throw new Error(`missing {{ end }} (expected ${terminators.join('/')})`);
    return { nodes, end: '' };
  }
  function control(keyword: 'if' | 'with' | 'range', first: string): Node {
    const branches: { cond: Pipeline; body: Node[] }[] = [];
    let cond = parsePipeline(first);
    let otherwise: Node[] = [];
    for (;;) {
      const body = block(['end', 'else']);
      branches.push({ cond, body: body.nodes });
      const closing = (pieces[i++] as { source: string }).source;
      if (closing === 'end') break;
      const elseIf = /^else\s+if\s+(.+)$/s.exec(closing);
      if (elseIf && keyword === 'if') {
        cond = parsePipeline(elseIf[1]);
        continue;
      }
      if (closing !== 'else') throw new Error(`{{ ${closing} }} is not supported by this renderer`);
      otherwise = block(['end']).nodes;
      i++;
      break;
    }
    if (keyword === 'if') return { kind: 'if', branches, otherwise };
    return { kind: keyword, pipe: branches[0].cond, body: branches[0].body, otherwise };
  }
  return block([]).nodes;
}

/** text/template's truth: false, 0, nil, and empty strings, lists and maps are false. */
export function truthy(value: Value): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function field(value: Value, path: string[], where: string): Value {
  let current = value;
  for (const key of path) {
    if (current === null || current === undefined || typeof current !== 'object') {
      // text/template fails on a field of nil (Helm: "nil pointer evaluating interface {}.x").
      throw new Error(`nil pointer evaluating ${where} (field ${key})`);
    }
    current = (current as Record<string, Value>)[key];
  }
  return current;
}

function print(value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function indent(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** Renders Helm-style Go templates: `new GoTemplates().add(name, source)…render(name, data)`. */
export class GoTemplates {
  private readonly defines = new Map<string, Node[]>();
  private readonly files = new Map<string, Node[]>();
  private readonly functions: Record<string, Fn>;

  constructor() {
    this.functions = {
      include: (name, data) => this.execute(this.definition(String(name)), data),
      toYaml: (v) => (v === undefined || v === null ? 'null' : stringify(v).replace(/\n$/, '')),
      nindent: (n, s) => '\n' + indent(Number(n), print(s)),
      indent: (n, s) => indent(Number(n), print(s)),
      quote: (...args) => args.map((a) => JSON.stringify(print(a))).join(' '),
      default: (fallback, value) => (truthy(value) ? value : fallback),
      required: (message, value) => {
        if (value === null || value === undefined || value === '') throw new Error(String(message));
        return value;
      },
      printf: (format, ...args) => {
        let k = 0;
        return String(format).replace(/%[sdv%]/g, (m) => (m === '%%' ? '%' : print(args[k++])));
      },
      eq: (a, ...bs) => bs.some((b) => a === b),
      ne: (a, b) => a !== b,
      not: (a) => !truthy(a),
      and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
      or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
      dict: (...args) => {
        const out: Record<string, Value> = {};
        for (let k = 0; k < args.length; k += 2) out[String(args[k])] = args[k + 1];
        return out;
      },
    };
  }

  /** Adds a template file; its `define`s become available to every file. */
  add(name: string, source: string): this {
    this.files.set(name, parse(source, this.defines));
    return this;
  }

  /** Renders one added file with `data` as `.` and `$`. */
  render(name: string, data: Value): string {
    const nodes = this.files.get(name);
    if (!nodes) throw new Error(`no template ${name}`);
    return this.execute(nodes, data);
  }

  private definition(name: string): Node[] {
    const nodes = this.defines.get(name);
    if (!nodes) throw new Error(`no template "${name}" defined`);
    return nodes;
  }

  private execute(nodes: Node[], data: Value): string {
    return this.run(nodes, data, [new Map([['$', data]])]);
  }

  private run(nodes: Node[], dot: Value, scopes: Map<string, Value>[]): string {
    let out = '';
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'action': {
          const value = this.pipeline(node.pipe, dot, scopes, true);
          // A declaration prints nothing (text/template).
          if (node.pipe.decl.length === 0) out += print(value);
          break;
        }
        case 'if': {
          const inner = [...scopes, new Map()];
          const branch = node.branches.find((b) => truthy(this.pipeline(b.cond, dot, inner, true)));
          out += this.run(branch ? branch.body : node.otherwise, dot, inner);
          break;
        }
        case 'with': {
          const inner = [...scopes, new Map()];
          const value = this.pipeline(node.pipe, dot, inner, true);
          out += truthy(value) ? this.run(node.body, value, inner) : this.run(node.otherwise, dot, inner);
          break;
        }
        case 'range': {
          const value = this.pipeline(node.pipe, dot, scopes, false);
          const entries: [Value, Value][] = Array.isArray(value)
            ? value.map((v, k) => [k, v])
            : value && typeof value === 'object'
              ? // text/template visits a map in sorted key order.
                Object.keys(value)
                  .sort()
                  .map((k) => [k, (value as Record<string, Value>)[k]])
              : [];
          if (entries.length === 0) out += this.run(node.otherwise, dot, [...scopes, new Map()]);
          for (const [key, element] of entries) {
            const scope = new Map<string, Value>();
            const decl = node.pipe.decl;
            if (decl.length === 1) scope.set(decl[0], element);
            if (decl.length === 2) {
              scope.set(decl[0], key);
              scope.set(decl[1], element);
            }
            out += this.run(node.body, element, [...scopes, scope]);
          }
          break;
        }
        case 'template': {
          const data = node.pipe ? this.pipeline(node.pipe, dot, scopes, true) : undefined;
          out += this.execute(this.definition(node.name), data);
          break;
        }
      }
    }
    return out;
  }

  /** Evaluates a pipeline; `declare` binds its `$x :=` variables in the innermost scope. */
  private pipeline(pipe: Pipeline, dot: Value, scopes: Map<string, Value>[], declare: boolean): Value {
    let value: Value = undefined;
    pipe.commands.forEach((command, index) => {
      value = this.command(command, dot, scopes, index > 0 ? [value] : []);
    });
    if (declare && pipe.decl.length === 1) scopes[scopes.length - 1].set(pipe.decl[0], value);
    else if (declare && pipe.decl.length > 1) throw new Error('only range declares two variables');
    return value;
  }

  private command(command: Operand[], dot: Value, scopes: Map<string, Value>[], piped: Value[]): Value {
    const [head, ...args] = command;
    if (head.kind === 'ident') {
      const fn = this.functions[head.name];
      if (!fn) throw new Error(`function "${head.name}" is not supported by this renderer`);
      return fn(...args.map((a) => this.operand(a, dot, scopes)), ...piped);
    }
    if (args.length > 0 || piped.length > 0) throw new Error('only a function takes arguments');
    return this.operand(head, dot, scopes);
  }

  private operand(op: Operand, dot: Value, scopes: Map<string, Value>[]): Value {
    switch (op.kind) {
      case 'literal':
        return op.value;
      case 'field':
        return field(dot, op.path, `.${op.path.join('.')}`);
      case 'variable': {
        const scope = [...scopes].reverse().find((s) => s.has(op.name));
        if (!scope) throw new Error(`undefined variable ${op.name}`);
        return field(scope.get(op.name), op.path, [op.name, ...op.path].join('.'));
      }
      case 'sub':
        return this.pipeline(op.pipe, dot, scopes, false);
      case 'ident': {
        const fn = this.functions[op.name];
        if (!fn) throw new Error(`function "${op.name}" is not supported by this renderer`);
        return fn();
      }
    }
  }
}
