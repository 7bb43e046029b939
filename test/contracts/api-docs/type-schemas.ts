import * as ts from 'typescript';

/** A JSON Schema (draft 2020-12 subset, as OpenAPI 3.1 and AsyncAPI 3 use). */
export type JsonSchema = Record<string, unknown>;

/** A named type found in the program, with its TSDoc. */
export interface NamedType {
  name: string;
  doc: string;
  file: string;
}

/**
 * JSON Schemas of exported TypeScript interfaces and type aliases, read with
 * the TypeScript checker from the files that declare them: named types become
 * `#/components/schemas/<Name>` references, so a payload and what it nests are
 * documented once.
 */
export class TypeSchemas {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  private readonly named = new Map<string, ts.Symbol>();
  private readonly visiting = new Set<ts.Type>();
  /** Every schema built so far, by type name. */
  readonly definitions: Record<string, JsonSchema> = {};

  /**
   * @param files every root file of the program
   * @param schemaFiles the files whose exported types are looked up by name (`types()`, `ref()`)
   */
  constructor(files: string[], schemaFiles: string[], options: ts.CompilerOptions) {
    this.program = ts.createProgram(files, { ...options, noEmit: true, skipLibCheck: true });
    this.checker = this.program.getTypeChecker();
    for (const file of schemaFiles) {
      const source = this.program.getSourceFile(file);
      const moduleSymbol = source && this.checker.getSymbolAtLocation(source);
      if (!moduleSymbol) throw new Error(`${file} is not in the program`);
      for (const s of this.checker.getExportsOfModule(moduleSymbol)) {
        if (s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) this.named.set(s.name, s);
      }
    }
  }

  /** The exported interfaces and type aliases of the schema files, with their TSDoc. */
  types(): NamedType[] {
    return [...this.named.values()]
      .map((s) => ({
        name: s.name,
        doc: ts.displayPartsToString(s.getDocumentationComment(this.checker)),
        file: s.declarations?.[0]?.getSourceFile().fileName ?? '',
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A reference to the schema of a named type, building it (and what it refers to) once. */
  ref(name: string): JsonSchema {
    const symbol = this.named.get(name);
    if (!symbol) throw new Error(`no exported type ${name}`);
    if (!(name in this.definitions)) {
      this.definitions[name] = {};
      const schema = this.objectOrAlias(this.checker.getDeclaredTypeOfSymbol(symbol));
      const doc = ts.displayPartsToString(symbol.getDocumentationComment(this.checker));
      this.definitions[name] = doc ? { description: doc, ...schema } : schema;
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  /**
   * The schema of what a class method's promise resolves to, from its declared
   * or inferred return type; undefined for `void` and for a missing method.
   */
  returnSchema(file: string, className: string, method: string): JsonSchema | undefined {
    const source = this.program.getSourceFile(file);
    const cls = source?.statements.find(
      (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className,
    );
    const member = cls?.members.find(
      (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText(source) === method,
    );
    const signature = member && this.checker.getSignatureFromDeclaration(member);
    if (!signature) return undefined;
    const type = this.checker.getAwaitedType(this.checker.getReturnTypeOfSignature(signature));
    if (!type || type.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Never)) return undefined;
    return this.schemaOf(type);
  }

  /** The component name of a named project type (not from node_modules), registering it on first sight. */
  private nameOf(type: ts.Type): string | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (!symbol || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) return undefined;
    if ((type.aliasTypeArguments ?? []).length > 0) return undefined;
    if ((type as ts.TypeReference).typeArguments?.length) return undefined;
    const file = symbol.declarations?.[0]?.getSourceFile();
    if (!file || this.program.isSourceFileFromExternalLibrary(file) || file.isDeclarationFile) return undefined;
    const known = this.named.get(symbol.name);
    if (known && known !== symbol) return undefined;
    this.named.set(symbol.name, symbol);
    return symbol.name;
  }

  private schemaOf(type: ts.Type): JsonSchema {
    const named = this.nameOf(type);
    if (named) return this.ref(named);
    // An anonymous type that contains itself is left open rather than expanded forever.
    if (this.visiting.has(type)) return {};
    this.visiting.add(type);
    try {
      return this.objectOrAlias(type);
    } finally {
      this.visiting.delete(type);
    }
  }

  private objectOrAlias(type: ts.Type): JsonSchema {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.StringLiteral) return { const: (type as ts.StringLiteralType).value };
    if (f & ts.TypeFlags.NumberLiteral) return { const: (type as ts.NumberLiteralType).value };
    if (f & ts.TypeFlags.BooleanLiteral) return { const: this.checker.typeToString(type) === 'true' };
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isUnion()) return this.union(type.types);
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: this.schemaOf(item) };
    }
    if (this.checker.isTupleType(type)) {
      const items = this.checker.getTypeArguments(type as ts.TypeReference).map((t) => this.schemaOf(t));
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    if (type.isIntersection()) return { allOf: type.types.map((t) => this.schemaOf(t)) };
    if (f & ts.TypeFlags.Object) return this.object(type);
    return {};
  }

  private union(types: ts.Type[]): JsonSchema {
    const present = types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    // `boolean` is the union true | false.
    const bools = present.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    const rest = present.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral));
    const schemas = rest.map((t) => this.schemaOf(t));
    if (bools.length === 2) schemas.push({ type: 'boolean' });
    else schemas.push(...bools.map((t) => this.schemaOf(t)));
    if (schemas.length === 1) return schemas[0];
    if (schemas.every((s) => 'const' in s && Object.keys(s).length === 1)) {
      return { enum: schemas.map((s) => s.const) };
    }
    return { anyOf: schemas };
  }

  private object(type: ts.Type): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const declaration = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!declaration) continue;
      const propType = this.checker.getTypeOfSymbolAtLocation(prop, declaration);
      if (propType.getCallSignatures().length > 0) continue;
      const doc = ts.displayPartsToString(prop.getDocumentationComment(this.checker));
      const schema = this.schemaOf(propType);
      properties[prop.name] = doc ? { description: doc, ...schema } : schema;
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
    }
    const out: JsonSchema = { type: 'object' };
    if (Object.keys(properties).length > 0) out.properties = properties;
    if (required.length > 0) out.required = required;
    // Open content: consumers must tolerate members added later (a new optional field is not a new version).
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index && !(index.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      out.additionalProperties = this.schemaOf(index.type);
    }
    return out;
  }
}
