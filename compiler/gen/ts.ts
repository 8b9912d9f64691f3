// The TypeScript host-bindings target: a typed view model (every name, ordering, lifting and
// lowering decision for TypeScript) rendered through templates/ts into generated/ts/.
// Layouts and core signatures come from the checked model; nothing is recomputed here.

import type {
  ContractModel,
  FunctionModel,
  ModuleModel,
  PrimitiveName,
  Tier,
  TypeModel,
  TypeRef,
} from "../model.ts";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { TIERS } from "../model.ts";
import { intText } from "../idl-text.ts";
import { exhaustive, ModelQuery } from "../query.ts";
import { lineBanner } from "./banner.ts";
import { formatJavaScript, formatTypeScript, layoutTypeScript } from "./format.ts";
import { resolveTsOptions, type TsOptions } from "./options.ts";
import { renderTemplate, TEMPLATES_DIR } from "./render.ts";
import type { GeneratedFile, GenContext, Target } from "./target.ts";
import type { SpecifierExtension } from "./ts-transpile.ts";
import { composeGlue, type LoweredParam, type OutValue, type ResultPlan } from "./ts-glue.ts";
import {
  camelCase,
  CONTRACT_EXPORTS,
  constantName,
  glueErrnoSource,
  GLUE_ERRNO_MEMBERS,
  implLocal,
  INDEX_EXPORTS,
  moduleFile,
  NameRegistry,
  parameterName,
  pascalCase,
  PREVIEW1_GLUE_ERRNO,
  resultTypeName,
  RUNTIME_EXPORTS,
  typeName,
} from "../lang/ts.ts";

export { camelCase, constantName, parameterName, pascalCase, RUNTIME_EXPORTS, typeName } from "../lang/ts.ts";

// ---------------------------------------------------------------------------------------------
// Names (lang/ts.ts decides them; the checker rejects contracts whose names would collide)

// ---------------------------------------------------------------------------------------------
// Scalars: how each primitive is lifted from a core value, read from and written to memory

export interface ScalarView {
  idl: string;
  ts: "number" | "bigint" | "boolean";
  size: number;
  dvGet: string;
  dvSet: string;
  multiByte: boolean;
  /** Appended to a DataView read (`!== 0` for bool). */
  suffix: string;
  /** The value a DataView write stores (`value ? 1 : 0` for bool). */
  storeValue: string;
  getter: string;
  setter: string;
  listClass: string;
}

type ScalarKind =
  "u8" | "s8" | "u16" | "s16" | "u32" | "s32" | "u64" | "s64" | "f32" | "f64" | "bool";

const SCALAR_DV: Record<ScalarKind, { dv: string; size: number; ts: ScalarView["ts"] }> = {
  u8: { dv: "Uint8", size: 1, ts: "number" },
  s8: { dv: "Int8", size: 1, ts: "number" },
  u16: { dv: "Uint16", size: 2, ts: "number" },
  s16: { dv: "Int16", size: 2, ts: "number" },
  u32: { dv: "Uint32", size: 4, ts: "number" },
  s32: { dv: "Int32", size: 4, ts: "number" },
  u64: { dv: "BigUint64", size: 8, ts: "bigint" },
  s64: { dv: "BigInt64", size: 8, ts: "bigint" },
  f32: { dv: "Float32", size: 4, ts: "number" },
  f64: { dv: "Float64", size: 8, ts: "number" },
  bool: { dv: "Uint8", size: 1, ts: "boolean" },
};

/** The memory representation of a primitive: `usize` is u32, `handle` is C int, `char8` is u8. */
const PRIMITIVE_KIND: Record<PrimitiveName, ScalarKind> = {
  u8: "u8",
  u16: "u16",
  u32: "u32",
  u64: "u64",
  s8: "s8",
  s16: "s16",
  s32: "s32",
  s64: "s64",
  f32: "f32",
  f64: "f64",
  bool: "bool",
  char8: "u8",
  usize: "u32",
  handle: "s32",
};

/** How a raw core argument becomes the lifted value (`$` is the argument). */
const LIFT: Record<ScalarKind, string> = {
  u8: "$ & 0xff",
  s8: "($ << 24) >> 24",
  u16: "$ & 0xffff",
  s16: "($ << 16) >> 16",
  u32: "$ >>> 0",
  s32: "$",
  u64: "BigInt.asUintN(64, $)",
  s64: "$",
  f32: "$",
  f64: "$",
  bool: "($ & 0xff) !== 0",
};

function scalarView(kind: ScalarKind): ScalarView {
  const { dv, size, ts } = SCALAR_DV[kind];
  const upper = kind[0].toUpperCase() + kind.slice(1);
  return {
    idl: kind,
    ts,
    size,
    dvGet: `get${dv}`,
    dvSet: `set${dv}`,
    multiByte: size > 1,
    suffix: kind === "bool" ? " !== 0" : "",
    storeValue: kind === "bool" ? "value ? 1 : 0" : "value",
    getter: `get${upper}`,
    setter: `set${upper}`,
    listClass: `${upper}List`,
  };
}

function readExpr(kind: ScalarKind, dv: string, at: string): string {
  const v = scalarView(kind);
  return `${dv}.${v.dvGet}(${at}${v.multiByte ? ", true" : ""})${v.suffix}`;
}

function writeStatement(kind: ScalarKind, dv: string, at: string, value: string): string {
  const v = scalarView(kind);
  const stored = kind === "bool" ? `${value} ? 1 : 0` : value;
  return `${dv}.${v.dvSet}(${at}, ${stored}${v.multiByte ? ", true" : ""});`;
}

function plus(base: string, offset: number): string {
  return offset === 0 ? base : `${base} + ${offset}`;
}

// ---------------------------------------------------------------------------------------------
// Type resolution over the model

/** What a type reference is, after following aliases. */
type Shape =
  | { kind: "scalar"; scalar: ScalarKind; enumType: string | null }
  | { kind: "record"; type: TypeModel & { kind: "struct" | "variant" } }
  | { kind: "string" }
  | { kind: "list"; of: TypeRef; writable: boolean };

/** A symbol generated code refers to, and the generated file that exports it. */
interface TsSymbol {
  name: string;
  from: "types" | "runtime";
}

/** A piece of generated code (a type, an expression, a statement) and the symbols it uses. */
interface Code {
  text: string;
  uses: TsSymbol[];
}

/** A name exported by types.ts, used as it is. */
function typesSymbol(name: string): Code {
  return { text: name, uses: [{ name, from: "types" }] };
}

class Types {
  readonly q: ModelQuery;
  constructor(readonly model: ContractModel) {
    this.q = new ModelQuery(model);
  }

  get(name: string): TypeModel {
    return this.q.type(name);
  }

  shape(ref: TypeRef): Shape {
    const r = this.q.dealias(ref);
    switch (r.kind) {
      case "primitive":
        return { kind: "scalar", scalar: PRIMITIVE_KIND[r.name], enumType: null };
      case "ptr":
        return { kind: "scalar", scalar: "u32", enumType: null };
      case "string":
        return { kind: "string" };
      case "list":
        return { kind: "list", of: r.of, writable: false };
      case "buffer":
        return { kind: "list", of: r.of, writable: true };
      case "named": {
        const t = this.q.definition(r)!;
        switch (t.kind) {
          case "enum":
            return { kind: "scalar", scalar: PRIMITIVE_KIND[t.repr], enumType: typeName(t.name) };
          case "flags":
            return { kind: "scalar", scalar: PRIMITIVE_KIND[t.repr], enumType: null };
          case "struct":
          case "variant":
            return { kind: "record", type: t };
          default:
            return exhaustive(t);
        }
      }
      default:
        return exhaustive(r, "type reference");
    }
  }

  /**
   * The member values of a closed enum behind `ref` (aliases followed), or null for anything
   * else: an open enum, or a 64-bit one. Hosts reject other values of a closed enum.
   */
  closedEnumValues(ref: TypeRef): number[] | null {
    const t = this.q.definition(ref);
    if (t?.kind !== "enum" || t.open || t.repr === "u64") return null;
    return t.members.map((m) => Number(m.value));
  }

  /** The TypeScript type of a value of this type, with the symbols it names. */
  tsTypeCode(ref: TypeRef): Code {
    switch (ref.kind) {
      case "named":
        return typesSymbol(typeName(ref.name));
      case "list":
      case "buffer":
        return this.listClassCode(ref.of) ?? { text: "Uint8Array", uses: [] };
      case "primitive":
      case "ptr":
      case "string":
        return { text: this.tsType(ref), uses: [] };
      default:
        return exhaustive(ref, "type reference");
    }
  }

  /** The accessor class of `list<T>`/`buffer<T>` and where it lives; null for bytes (`Uint8Array`). */
  listClassCode(of: TypeRef): Code | null {
    const shape = this.shape(of);
    if (shape.kind === "scalar") {
      if (SCALAR_DV[shape.scalar].size === 1 && shape.scalar !== "bool") return null;
      const name = scalarView(shape.scalar).listClass;
      return { text: name, uses: [{ name, from: "runtime" }] };
    }
    if (shape.kind === "record") return typesSymbol(`${typeName(shape.type.name)}List`);
    throw new Error(`ts target: list of ${of.kind} is not supported`);
  }

  /** A statement storing `value` of type `ref` into DataView `dv` at `at`, with the symbols it calls. */
  storeCode(ref: TypeRef, dv: string, at: string, value: string): Code {
    const shape = this.shape(ref);
    if (shape.kind === "record") {
      const name = `store${typeName(shape.type.name)}`;
      return { text: `${name}(${dv}, ${at}, ${value});`, uses: [{ name, from: "types" }] };
    }
    return { text: this.store(ref, dv, at, value), uses: [] };
  }

  /** The TypeScript type of a value of this type. */
  tsType(ref: TypeRef): string {
    switch (ref.kind) {
      case "primitive":
        return SCALAR_DV[PRIMITIVE_KIND[ref.name]].ts;
      case "ptr":
        return "number";
      case "named":
        return typeName(ref.name);
      case "string":
        return "string";
      case "list":
      case "buffer":
        return this.listClass(ref.of);
      default:
        return exhaustive(ref, "type reference");
    }
  }

  layout(ref: TypeRef): { size: number; align: number } {
    const shape = this.shape(ref);
    if (shape.kind === "scalar") {
      const size = SCALAR_DV[shape.scalar].size;
      return { size, align: size };
    }
    if (shape.kind === "record") return { size: shape.type.size, align: shape.type.align };
    throw new Error(`ts target: ${ref.kind} has no memory layout`);
  }

  /** The lifted form of `list<T>`/`buffer<T>`: bytes for 1-byte scalars, else an accessor class. */
  listClass(of: TypeRef): string {
    return this.listClassCode(of)?.text ?? "Uint8Array";
  }

  /** An expression loading a value of `ref` from DataView `dv` at `at` (range already checked). */
  load(ref: TypeRef, dv: string, at: string): string {
    const shape = this.shape(ref);
    if (shape.kind === "scalar") {
      const read = readExpr(shape.scalar, dv, at);
      return shape.enumType === null ? read : `${read} as ${shape.enumType}`;
    }
    if (shape.kind === "record") return `load${typeName(shape.type.name)}(${dv}, ${at})`;
    throw new Error(`ts target: ${ref.kind} cannot be stored in memory`);
  }

  /** A statement storing `value` of type `ref` into DataView `dv` at `at`. */
  store(ref: TypeRef, dv: string, at: string, value: string): string {
    const shape = this.shape(ref);
    if (shape.kind === "scalar") return writeStatement(shape.scalar, dv, at, value);
    if (shape.kind === "record")
      return `store${typeName(shape.type.name)}(${dv}, ${at}, ${value});`;
    throw new Error(`ts target: ${ref.kind} cannot be stored in memory`);
  }

  /** The errno-like enum's member value, for the glue's own errnos. */
  errnoValue(enumName: string, member: string): number {
    if (this.q.findType(enumName)?.kind === "enum" && this.q.typeOfKind(enumName, "enum").members.some((m) => m.name === member))
      return this.q.enumValue(enumName, member);
    throw new Error(`ts target: error enum ${enumName} needs a member \`${member}\` (the glue returns it)`);
  }
}

// ---------------------------------------------------------------------------------------------
// types.ts view

export interface MemberView {
  name: string;
  value: string;
  docs: string[];
}

export interface FieldView {
  name: string;
  type: string;
  offset: number;
  docs: string[];
  load: string;
  store: string;
  /** Present for scalar fields: `<name>At(index)` on the list class. */
  accessor: { name: string; type: string; load: string } | null;
}

export interface CaseView {
  member: string;
  tag: string;
  payloadType: string | null;
  load: string;
  store: string | null;
  docs: string[];
}

export type TypeView =
  | { kind: "alias"; name: string; idlName: string; target: string; docs: string[] }
  | {
      kind: "enum" | "flags";
      name: string;
      idlName: string;
      members: MemberView[];
      valueType: string;
      docs: string[];
    }
  | {
      kind: "struct";
      name: string;
      idlName: string;
      docs: string[];
      size: number;
      align: number;
      fields: FieldView[];
    }
  | {
      kind: "variant";
      name: string;
      idlName: string;
      docs: string[];
      size: number;
      align: number;
      tagRead: string;
      tagWrite: string;
      cases: CaseView[];
      /**
       * The union on one line (`{ tag: ... } | { tag: ... }`) as prettier prints it when that fits:
       * after `=` (`inline`) or else on the next line (`indented`); null: one `| case` per line.
       */
      unionFlat: string | null;
      unionIndented: boolean;
      /** The union's members, each `{ tag: ...; value: ... }` (`{ tag: never }` for no case). */
      union: string[];
      /** Always empty: list classes share a partial with structs. */
      fields: FieldView[];
    };

export interface ConstView {
  name: string;
  type: string;
  value: string;
  docs: string[];
}

/** Doc comment lines, safe inside a JSDoc block. */
function docLines(docs: string): string[] {
  const text = docs.trim();
  return text === "" ? [] : text.split("\n").map((l) => l.replace(/\*\//g, "*\\/").trimEnd());
}

function gateDocs(item: {
  deprecated: { since: string; use: string | null; note: string | null } | null;
  unstable: string | null;
}): string[] {
  const lines: string[] = [];
  if (item.unstable !== null)
    lines.push(`Unstable: linked only with the \`${item.unstable}\` feature.`);
  if (item.deprecated !== null) {
    const d = item.deprecated;
    const parts = [d.use !== null ? `use \`${d.use}\`` : null, d.note].filter((p) => p !== null);
    // The note is contract text: escaped like any doc line.
    lines.push(...docLines(`@deprecated since ${d.since}: ${parts.join("; ")}`));
  }
  return lines;
}

function withGate(docs: string, item: Parameters<typeof gateDocs>[0]): string[] {
  const body = docLines(docs);
  const gate = gateDocs(item);
  return body.length > 0 && gate.length > 0 ? [...body, "", ...gate] : [...body, ...gate];
}

function literal(value: number | string, ts: string): string {
  if (ts === "bigint") return `${String(value)}n`;
  return String(value);
}

function valueTypeOf(repr: PrimitiveName): "number" | "bigint" {
  return SCALAR_DV[PRIMITIVE_KIND[repr]].ts === "bigint" ? "bigint" : "number";
}

function typeView(types: Types, t: TypeModel, names: NameRegistry): TypeView {
  const name = names.claim(typeName(t.name), `type ${t.name}`);
  const docs = withGate(t.docs, t);
  switch (t.kind) {
    case "alias":
      return { kind: "alias", name, idlName: t.name, target: types.tsType(t.target), docs };
    case "enum":
    case "flags": {
      const valueType = valueTypeOf(t.repr);
      const seen = new Set<string>();
      const members = t.members.map((m) => {
        const member = pascalCase(m.name);
        if (seen.has(member))
          throw new Error(`ts target: ${t.name} has two members named ${member}`);
        seen.add(member);
        return { name: member, value: literal(m.value, valueType), docs: docLines(m.docs) };
      });
      return { kind: t.kind, name, idlName: t.name, members, valueType, docs };
    }
    case "struct": {
      names.claim(`${name}List`, `type ${t.name}`);
      names.claim(`${name}Layout`, `type ${t.name}`);
      for (const fn of ["load", "store", "read", "write"])
        names.claim(`${fn}${name}`, `type ${t.name}`);
      const fields = t.fields.map((f): FieldView => {
        const field = camelCase(f.name);
        const shape = types.shape(f.type);
        const fieldType = types.tsType(f.type);
        return {
          name: field,
          type: fieldType,
          offset: f.offset,
          docs: docLines(f.docs),
          load: types.load(f.type, "dv", plus("ptr", f.offset)),
          store: types.store(f.type, "dv", plus("ptr", f.offset), `value.${field}`),
          accessor:
            shape.kind === "scalar"
              ? {
                  name: `${field}At`,
                  type: fieldType,
                  load: types.load(f.type, "dv", plus("at", f.offset)),
                }
              : null,
        };
      });
      return { kind: "struct", name, idlName: t.name, docs, size: t.size, align: t.align, fields };
    }
    case "variant": {
      names.claim(`${name}List`, `type ${t.name}`);
      names.claim(`${name}Layout`, `type ${t.name}`);
      for (const fn of ["load", "store", "read", "write"])
        names.claim(`${fn}${name}`, `type ${t.name}`);
      const tag = types.get(t.tag);
      if (tag.kind !== "enum") throw new Error(`ts target: variant ${t.name} has a non-enum tag`);
      const tagShape = types.shape({ kind: "named", name: t.tag });
      if (tagShape.kind !== "scalar" || SCALAR_DV[tagShape.scalar].size !== t.tagSize) {
        throw new Error(`ts target: variant ${t.name}: tag size differs from its enum`);
      }
      const tagEnum = typeName(t.tag);
      const cases = t.cases.map((c): CaseView => {
        const member = `${tagEnum}.${pascalCase(c.name)}`;
        const payloadAt = plus("ptr", t.payloadOffset);
        return {
          member,
          tag: String(c.tag),
          payloadType: c.payload === null ? null : types.tsType(c.payload),
          load:
            c.payload === null
              ? `{ tag: ${member} }`
              : `{ tag: ${member}, value: ${types.load(c.payload, "dv", payloadAt)} }`,
          store: c.payload === null ? null : types.store(c.payload, "dv", payloadAt, "value.value"),
          docs: docLines(c.docs),
        };
      });
      const union = cases.length === 0 ? ["{ tag: never }"] : cases.map((c) => `{ tag: typeof ${c.member}${c.payloadType === null ? "" : `; value: ${c.payloadType}`} }`);
      const flat = union.join(" | ");
      return {
        kind: "variant",
        unionFlat: `  ${flat};`.length <= PRINT_WIDTH ? flat : null,
        unionIndented: `export type ${name} = ${flat};`.length > PRINT_WIDTH,
        union,
        name,
        idlName: t.name,
        docs,
        size: t.size,
        align: t.align,
        tagRead: readExpr(tagShape.scalar, "dv", "ptr"),
        tagWrite: writeStatement(tagShape.scalar, "dv", "ptr", "value.tag"),
        cases,
        fields: [],
      };
    }
    default:
      return exhaustive(t);
  }
}

function constView(
  types: Types,
  c: ContractModel["constants"][number],
  names: NameRegistry,
): ConstView {
  const shape = types.shape(c.type);
  if (shape.kind !== "scalar") throw new Error(`ts target: constant ${c.name} is not a scalar`);
  const ts = SCALAR_DV[shape.scalar].ts;
  let value = ts === "boolean" ? String(c.value !== 0 && c.value !== "0") : literal(c.value, ts);
  // A value no member of an (open) enum has is not of the enum's literal union: widen, then narrow.
  const en = types.q.definition(c.type);
  if (en?.kind === "enum" && !en.members.some((m) => String(m.value) === String(c.value))) value = `${value} as ${ts} as ${types.tsType(c.type)}`;
  return {
    name: names.claim(constantName(c.name), `constant ${c.name}`),
    type: types.tsType(c.type),
    value,
    docs: withGate(c.docs, c),
  };
}

// ---------------------------------------------------------------------------------------------
// Module views: the implementation interface and the glue of each function

export interface MethodView {
  /** The IDL function it implements. */
  idlName: string;
  name: string;
  signature: string;
  returns: string;
  docs: string[];
}

export interface ResultTypeView {
  name: string;
  docs: string[];
  fields: { name: string; type: string; docs: string[] }[];
}

export interface GlueView {
  importName: string;
  /** JS string literals. */
  moduleLiteral: string;
  nameLiteral: string;
  kind: "refused" | "stubbed" | "provided";
  reasonLiteral: string;
  tierLiteral: string;
  featuresLiteral: string;
  method: string;
  coreParams: string;
  coreResult: string;
  /** Per-import state, created once when the import is linked (reusable list accessors). */
  setup: string[];
  body: string[];
  stubValue: string;
}

/** The import specifiers of the generated files, with the chosen extension. */
export interface ImportPaths {
  runtime: string;
  contract: string;
  types: string;
}

export interface ModuleView {
  banner: string;
  module: string;
  /** The output file, e.g. `host_fs.ts`. */
  fileName: string;
  /** How index.ts imports it, e.g. `./host_fs.js`. */
  importPath: string;
  imports: ImportPaths;
  interfaceName: string;
  implKey: string;
  /** index.ts's local for the module's import object. */
  implLocal: string;
  /** The link function's `impl` parameter: `_impl` when no function is linked through it. */
  implParam: string;
  /** Its linker parameter: `_link` when the module has no function to link. */
  linkParam: string;
  /** Whether the link function's glue uses guest memory (`$m`) and the call context (`$ctx`). */
  usesMemory: boolean;
  usesContext: boolean;
  linkName: string;
  aliases: string[];
  docs: string[];
  methods: MethodView[];
  resultTypes: ResultTypeView[];
  glue: GlueView[];
  typeImports: string[];
  valueImports: string[];
  runtimeImports: string[];
}

const CORE_TS = { i32: "number", i64: "bigint", f32: "number", f64: "number" } as const;

/** A core-wasm integer literal for a model value, as the contract writes it; `n`-suffixed for an i64. */
export function coreLiteral(value: number | string, bigint: boolean): string {
  return bigint ? `${intText(value)}n` : intText(value);
}

/** The test that tells a returned `Failure` from the success value(s) `$r`. */
function failureTest(types: Types, values: { type: TypeRef }[]): string {
  if (values.length === 1 && types.shape(values[0].type).kind === "scalar")
    return `typeof $r === "object"`;
  return "$r instanceof Failure";
}

class ModuleBuilder {
  readonly typeImports = new Set<string>();
  readonly valueImports = new Set<string>();
  readonly runtimeImports = new Set<string>();
  usesMemory = false;

  constructor(
    readonly types: Types,
    readonly names: NameRegistry,
    readonly specifier: (file: string) => string,
    /**
     * Whether to compose each function's glue. Without it the view has every name, method
     * signature and import a function's types bring, but empty glue: what the docs read of it.
     */
    readonly composesGlue = true,
  ) {}

  /** Emits code that uses its symbols as types; records their imports. */
  emitType(code: Code): string {
    for (const s of code.uses) (s.from === "runtime" ? this.runtimeImports : this.typeImports).add(s.name);
    return code.text;
  }

  /** Emits code that uses its symbols as values; records their imports. */
  emitValue(code: Code): string {
    for (const s of code.uses) (s.from === "runtime" ? this.runtimeImports : this.valueImports).add(s.name);
    return code.text;
  }

  build(mod: ModuleModel, banner: string): ModuleView {
    const interfaceName = this.names.claim(typeName(mod.name), `module ${mod.name}`);
    const linkName = this.names.claim(`link${pascalCase(mod.name)}`, `module ${mod.name}`);
    const methods: MethodView[] = [];
    const resultTypes: ResultTypeView[] = [];
    const glue: GlueView[] = [];
    for (const fn of mod.functions) {
      glue.push(this.glue(mod, fn, methods, resultTypes));
    }
    const typeImports = [...this.typeImports].filter((n) => !this.valueImports.has(n)).sort();
    const valueImports = [...this.valueImports].sort();
    const provided = glue.some((g) => g.kind === "provided");
    if (provided) ["provides", "type CallSite"].forEach((n) => this.runtimeImports.add(n));
    if (methods.length > 0) this.runtimeImports.add("type CallContext");
    this.runtimeImports.add("type Linker");
    // Values first, then types, each sorted: `provides, type CallContext, type Linker`.
    const runtimeImports = [...this.runtimeImports].sort((a, b) => Number(a.startsWith("type ")) - Number(b.startsWith("type ")) || a.localeCompare(b));
    return {
      banner,
      module: mod.name,
      fileName: `${moduleFile(mod)}.ts`,
      importPath: this.specifier(moduleFile(mod)),
      imports: {
        runtime: this.specifier("runtime"),
        contract: this.specifier("contract"),
        types: this.specifier("types"),
      },
      interfaceName,
      implKey: camelCase(mod.name),
      implLocal: implLocal(mod),
      implParam: provided ? "impl" : "_impl",
      linkParam: glue.length > 0 ? "$link" : "_link",
      usesMemory: this.usesMemory,
      usesContext: provided,
      linkName,
      aliases: mod.aliases.map((a) => JSON.stringify(a)),
      docs: withGate(mod.docs, mod),
      methods,
      resultTypes,
      glue,
      typeImports,
      valueImports,
      runtimeImports,
    };
  }

  private glue(
    mod: ModuleModel,
    fn: FunctionModel,
    methods: MethodView[],
    resultTypes: ResultTypeView[],
  ): GlueView {
    const features = [fn.unstable, mod.unstable].filter((f): f is string => f !== null);
    const base: GlueView = {
      importName: fn.import.name,
      moduleLiteral: JSON.stringify(fn.import.module),
      nameLiteral: JSON.stringify(fn.import.name),
      kind: fn.status.kind,
      reasonLiteral:
        fn.status.kind === "refused" ? JSON.stringify(`refused: ${fn.status.reason}`) : '""',
      tierLiteral: JSON.stringify(fn.tiers.length > 0 ? fn.tiers[0] : TIERS[TIERS.length - 1]),
      featuresLiteral: JSON.stringify(features),
      method: "",
      coreParams: "",
      coreResult: fn.core.results.length === 0 ? "void" : CORE_TS[fn.core.results[0]],
      setup: [],
      body: [],
      stubValue: fn.status.kind === "stubbed" ? String(fn.status.value) : "0",
    };
    if (fn.tiers.length === 0)
      return { ...base, kind: "refused", reasonLiteral: JSON.stringify("linked at no tier") };
    if (fn.status.kind !== "provided") return base;
    if (fn.core.results.length > 1)
      throw new Error(`ts target: ${fn.name} has several core results`);

    const types = this.types;
    const method = camelCase(fn.name);
    const coreNames = fn.core.params.map((_, i) => `$${i}`);
    const coreParams = fn.core.params.map((t, i) => `${coreNames[i]}: ${CORE_TS[t]}`).join(", ");
    const result = fn.result;

    // 1. Each parameter lowered: its locals, range check, member check, decode and argument.
    const params: LoweredParam[] = [];
    const signature: string[] = [];
    const paramDocs: string[] = [];
    let core = 0;
    for (const p of fn.params) {
      const raw = coreNames.slice(core, core + p.core.length);
      core += p.core.length;
      const pname = parameterName(p.name);
      signature.push(`${pname}: ${this.emitType(types.tsTypeCode(p.type))}`);
      if (p.docs.trim() !== "") paramDocs.push(`@param ${pname} ${docLines(p.docs).join(" ")}`);
      if (this.composesGlue) params.push(this.lowerParam(fn, p.type, raw, params.length, result.kind === "expected"));
    }

    // 2. The out-values of result<T, errno>: one trailing out-pointer each, checked up front.
    const outs: OutValue[] = [];
    let returns: string;
    if (result.kind === "expected") {
      const value = (v: { name: string }): string => (result.values.length === 1 ? "$r" : `$r.${camelCase(v.name)}`);
      if (this.composesGlue)
        result.values.forEach((v, i) => {
          const local = `$o${i}`;
          const { size, align } = types.layout(v.type);
          outs.push({
            locals: [`const ${local} = ${coreNames[core + i]} >>> 0;`],
            range: `$m.fits(${local}, ${size}, ${align})`,
            write: this.emitValue(types.storeCode(v.type, "$dv", local, value(v))),
          });
        });
      core += result.values.length;
      if (result.values.length === 0) returns = "void | Failure";
      else if (result.values.length === 1) returns = `${this.emitType(types.tsTypeCode(result.values[0].type))} | Failure`;
      else {
        const name = this.names.claim(resultTypeName(fn), `function ${mod.name}.${fn.name}`);
        resultTypes.push({
          name,
          docs: [`The out-values of \`${fn.name}\`.`],
          fields: result.values.map((v) => ({
            name: camelCase(v.name),
            type: this.emitType(types.tsTypeCode(v.type)),
            docs: docLines(v.docs),
          })),
        });
        returns = `${name} | Failure`;
      }
    } else if (result.kind === "scalar") returns = this.emitType(types.tsTypeCode(result.type));
    else returns = "void";
    if (core !== fn.core.params.length)
      throw new Error(`ts target: ${fn.name}: params lower to ${core} core values, the model says ${fn.core.params.length}`);

    // 3. The call block, as the result kind answers failures and lifts the result.
    let setup: string[] = [];
    let body: string[] = [];
    if (this.composesGlue) {
      const call = `$impl.${method}(${[...params.map((p) => p.arg), "$ctx"].join(", ")})`;
      const composed = composeGlue(params, outs, call, this.resultPlan(fn, params, outs));
      ({ setup, body } = composed);
      this.usesMemory ||= composed.usesMemory;
    }

    const docs = withGate(fn.docs, fn);
    const extra = [...paramDocs];
    if (fn.compat !== null) extra.push(...docLines(`Compat: ${fn.compat}`));
    if (fn.deviation !== null) extra.push(...docLines(`Deviation: ${fn.deviation}`));
    if (result.kind === "noreturn") extra.push("@returns nothing: the glue then throws `ProcExit` with the first argument.");
    else if (fn.resultDocs.trim() !== "") extra.push(`@returns ${docLines(fn.resultDocs).join(" ")}`);
    methods.push({
      idlName: fn.name,
      // `new (...)` in an interface is a construct signature: the method named `new` is quoted.
      name: method === "new" ? '"new"' : method,
      signature: [...signature, "ctx: CallContext"].join(", "),
      returns,
      docs: docs.length > 0 && extra.length > 0 ? [...docs, "", ...extra] : [...docs, ...extra],
    });
    return { ...base, method: JSON.stringify(method), coreParams, setup, body };
  }

  /** Lowers parameter `index` from its raw core values `raw`. */
  private lowerParam(fn: FunctionModel, type: TypeRef, raw: string[], index: number, checksMembers: boolean): LoweredParam {
    const types = this.types;
    const shape = types.shape(type);
    const local = `$p${index}`;
    const param: LoweredParam = { locals: [], range: null, member: null, decode: null, arg: "", setup: [], reused: false };
    switch (shape.kind) {
      case "scalar": {
        const lifted = LIFT[shape.scalar].replace("$", raw[0]!);
        if (type.kind === "ptr") {
          const { size, align } = types.layout(type.to);
          param.locals.push(`const ${local} = ${raw[0]} >>> 0;`);
          param.range = `$m.fits(${local}, ${size}, ${align})`;
          param.arg = local;
          break;
        }
        // Values of closed enums that no member has: answered `inval` before the implementation runs.
        const closed = checksMembers ? types.closedEnumValues(type) : null;
        const checked = closed !== null && closed.length > 0;
        if (checked) {
          param.locals.push(`const ${local} = ${lifted};`);
          param.member = memberTest(local, closed);
        }
        const value = checked ? local : lifted;
        // Parenthesised only when prettier keeps the parentheses: around an operator, not a name.
        const operand = /^[\w$]+$/.test(value) ? value : `(${value})`;
        param.arg = shape.enumType === null ? value : `${operand} as ${this.emitType(typesSymbol(shape.enumType))}`;
        break;
      }
      case "string":
        param.locals.push(`const ${local} = ${raw[0]} >>> 0,`, `  $n${index} = ${raw[1]} >>> 0;`);
        param.range = `$m.fits(${local}, $n${index}, 1)`;
        param.decode = { statement: `const $s${index} = $m.decode(${local}, $n${index});`, invalid: `$s${index} === null` };
        param.arg = `$s${index}`;
        break;
      case "list": {
        const n = `$n${index}`;
        const { size, align } = types.layout(shape.of);
        param.locals.push(`const ${local} = ${raw[0]} >>> 0,`, `  ${n} = ${raw[1]} >>> 0;`);
        param.range = `$m.fits(${local}, ${size === 1 ? n : `${n} * ${size}`}, ${align})`;
        const cls = types.listClassCode(shape.of);
        if (cls === null) param.arg = `$m.u8.subarray(${local}, ${local} + ${n})`;
        else if (types.shape(shape.of).kind === "record") {
          // A record list accessor is allocated once per import and re-aimed on every call; a
          // re-entrant call (an implementation calling back into the guest) gets its own.
          const reused = `$list${index}`;
          param.setup.push(`const ${reused} = new ${this.emitValue(cls)}($m, 0, 0);`);
          param.arg = `$own ? ${reused}.reset(${local}, ${n}) : new ${cls.text}($m, ${local}, ${n})`;
          param.reused = true;
        } else param.arg = `new ${this.emitValue(cls)}($m, ${local}, ${n})`;
        break;
      }
      case "record":
        throw new Error(`ts target: ${fn.name}: a parameter passes a ${type.kind} by value`);
      default:
        exhaustive(shape, "shape");
    }
    return param;
  }

  /** How `fn`'s result kind answers failures and uses the implementation's answer. */
  private resultPlan(fn: FunctionModel, params: LoweredParam[], outs: OutValue[]): ResultPlan {
    const types = this.types;
    const result = fn.result;
    switch (result.kind) {
      case "expected": {
        this.runtimeImports.add("Failure");
        const errno = (member: string): number => types.errnoValue(result.error, member);
        const answer = (member: string): string => `return ${errno(member)}; // ${member}`;
        return {
          fault: answer("fault"),
          inval: answer("inval"),
          ilseq: answer("ilseq"),
          // How a Failure is told from a success, cheapest first: `instanceof` is a call V8 does
          // not fold for an imported class, so it is kept for object results only.
          attempt: (call, release) =>
            result.values.length === 0
              ? [`const $r = ${call};`, ...release, "return $r === undefined ? 0 : $r.errno;"]
              : [
                  `const $r = ${call};`,
                  ...release,
                  `if (${failureTest(types, result.values)}) return $r.errno;`,
                  "const $dv = $m.current();",
                  ...outs.map((o) => o.write),
                  "return 0;",
                ],
          caught: [`return $link.caught($e, $where, ${errno("io")}); // io`],
          after: [],
        };
      }
      case "scalar": {
        const shape = types.shape(result.type);
        if (shape.kind !== "scalar") throw new Error(`ts target: ${fn.name} returns a non-scalar directly`);
        if (result.sentinel === null) throw new Error(`ts target: ${fn.name} has no @sentinel`);
        const ts = SCALAR_DV[shape.scalar].ts;
        const error = coreLiteral(result.sentinel.error, ts === "bigint");
        const fault = coreLiteral(result.sentinel.fault, ts === "bigint");
        const lower = (call: string): string => (ts === "boolean" ? `${call} ? 1 : 0` : call);
        return {
          fault: `return ${fault};`,
          inval: `return ${error};`,
          ilseq: `return ${error};`,
          // With a reused accessor the value is kept until the accessor is given back.
          attempt: (call, release) =>
            release.length === 0 ? [`return ${lower(call)};`] : [`const $r = ${lower(call)};`, ...release, "return $r;"],
          caught: ["$link.caught($e, $where, 0);", `return ${error};`],
          after: [],
        };
      }
      case "none":
        return {
          fault: "return;",
          inval: "return;",
          ilseq: "return;",
          attempt: (call, release) => [`${call};`, ...release],
          caught: ["$link.caught($e, $where, 0);"],
          after: [],
        };
      case "noreturn": {
        // The implementation is told, then the guest always unwinds with ProcExit.
        this.runtimeImports.add("ProcExit");
        // The exit code is the first argument, as lifted, when it is a number; a string or a
        // list is only decoded inside the checks this unwinds from, so it exits with 0.
        const first = fn.params[0];
        const shape = first === undefined ? null : types.shape(first.type);
        const scalar = shape?.kind === "scalar" ? SCALAR_DV[shape.scalar].ts : null;
        const code = scalar === null ? "0" : scalar === "number" ? params[0]!.arg : `Number(${params[0]!.arg})`;
        const unwind = `throw new ProcExit(${code});`;
        return {
          fault: unwind,
          inval: unwind,
          ilseq: unwind,
          attempt: (call, release) => [`${call};`, ...release],
          caught: ["$link.caught($e, $where, 0);"],
          after: [unwind],
        };
      }
      default:
        return exhaustive(result, "result kind");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The whole target

/** A test that `local` is one of `values`: a range check when they are contiguous. */
function memberTest(local: string, values: number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  if (hi - lo + 1 === sorted.length) return lo === 0 ? `${local} <= ${hi}` : `${local} >= ${lo} && ${local} <= ${hi}`;
  return sorted.map((v) => `${local} === ${v}`).join(" || ");
}

export interface TsView {
  options: TsOptions;
  banner: string;
  contract: { banner: string; tiers: Tier[]; errno: Record<"fault" | "io" | "ilseq" | "inval", number> };
  types: {
    banner: string;
    types: TypeView[];
    constants: ConstView[];
    imports: ImportPaths;
    /** What types.ts uses of contract.ts and runtime.ts (only that: unused imports fail strict builds). */
    contractImports: string[];
    runtimeImports: string[];
  };
  modules: ModuleView[];
  index: { banner: string; modules: ModuleView[]; imports: ImportPaths; extension: string; implParam: string };
}

/** prettier's print width, which the templates lay lines out for (see layoutTypeScript). */
const PRINT_WIDTH = 100;

const SPECIFIER_EXTENSION = { js: ".js", ts: ".ts", none: "" } as const;

export function tsView(model: ContractModel, ctx: GenContext, composesGlue = true): TsView {
  const view = tsViews(model, ctx, composesGlue);
  return view.finish(model.modules.map((m) => view.module(m)));
}

/**
 * The view in steps: the shared part, then one module's view at a time (in the contract's order:
 * names are claimed as they come), then the whole. Rendering each module as soon as its view is
 * built lets the view go before the next one is made: what a contract of thousands of functions
 * needs to keep its memory down.
 */
function tsViews(
  model: ContractModel,
  ctx: GenContext,
  composesGlue = true,
): {
  shared: Omit<TsView, "modules" | "index">;
  module(m: ModuleModel): ModuleView;
  finish(modules: ModuleView[]): TsView;
} {
  const options = resolveTsOptions(ctx.ts);
  const specifier = (file: string): string => `./${file}${SPECIFIER_EXTENSION[options.importExtension]}`;
  const imports: ImportPaths = { runtime: specifier("runtime"), contract: specifier("contract"), types: specifier("types") };
  const types = new Types(model);
  const names = new NameRegistry();
  for (const n of RUNTIME_EXPORTS) names.claim(n, "runtime.ts");
  for (const n of CONTRACT_EXPORTS) names.claim(n, "contract.ts");
  for (const n of INDEX_EXPORTS) names.claim(n, "index.ts");
  const banner = lineBanner(model, ctx.source);
  const glueSource = glueErrnoSource(model);
  const errno = (m: (typeof GLUE_ERRNO_MEMBERS)[number]): number =>
    glueSource === null ? PREVIEW1_GLUE_ERRNO[m] : types.errnoValue(glueSource.name, m);
  const contract = {
    banner,
    tiers: [...TIERS] satisfies Tier[],
    errno: { fault: errno("fault"), io: errno("io"), ilseq: errno("ilseq"), inval: errno("inval") },
  };
  const typeViews = model.types.map((t) => typeView(types, t, names));
  const constants = model.constants.map((c) => constView(types, c, names));
  // Records bring list classes (elementAt) and checked read/write (GuestMemory); variants answer
  // an unknown tag with fail(GLUE_ERRNO.inval).
  const hasRecords = typeViews.some((t) => t.kind === "struct" || t.kind === "variant");
  const hasVariants = typeViews.some((t) => t.kind === "variant");
  const typesImports = {
    contractImports: hasVariants ? ["GLUE_ERRNO"] : [],
    runtimeImports: [...(hasRecords ? ["elementAt"] : []), ...(hasVariants ? ["fail"] : []), ...(hasRecords ? ["type GuestMemory"] : [])],
  };
  const shared = { options, banner, contract, types: { banner, types: typeViews, constants, imports, ...typesImports } };
  return {
    shared,
    module: (m) => new ModuleBuilder(types, names, specifier, composesGlue).build(m, banner),
    finish: (modules) => ({
      ...shared,
      modules,
      index: { banner, modules, imports, extension: SPECIFIER_EXTENSION[options.importExtension], implParam: modules.length > 0 ? "impl" : "_impl" },
    }),
  };
}

/** What the reference docs show of the TypeScript bindings: every method a host implements, every type's name. */
export interface TsBindingNames {
  /** Per `module.function`: the method's name and its declaration after a comment naming its interface and file. */
  methods: Map<string, { name: string; declaration: string }>;
  /** Per IDL type name: its TypeScript name. */
  types: Map<string, string>;
}

function bindingNamesOf(view: TsView): TsBindingNames {
  // With `target=js+dts` the interface a host implements is read from the declaration file.
  const tsFile = (m: ModuleView) => (view.options.target === "ts" ? m.fileName : `${m.module}.d.ts`);
  const methods = new Map<string, { name: string; declaration: string }>();
  for (const m of view.modules)
    for (const method of m.methods)
      methods.set(`${m.module}.${method.idlName}`, {
        name: method.name,
        declaration: `// interface ${m.interfaceName} (ts/${tsFile(m)})\n${method.name}(${method.signature}): ${method.returns};`,
      });
  return { methods, types: new Map(view.types.types.map((t) => [t.idlName, t.name])) };
}

// The TS target and the docs read the same view; the docs keep only its names (the view holds
// every function's glue), taken from the TS target's view when it ran first in this process.
const bindingNames = new WeakMap<ContractModel, Map<string, TsBindingNames>>();

function rememberBindingNames(model: ContractModel, view: TsView): TsBindingNames {
  const known = bindingNames.get(model) ?? new Map<string, TsBindingNames>();
  bindingNames.set(model, known);
  const names = bindingNamesOf(view);
  known.set(JSON.stringify(view.options), names);
  return names;
}

/** The names the TypeScript bindings give a contract's methods and types with these options. */
export function tsBindingNames(model: ContractModel, ctx: GenContext): TsBindingNames {
  const known = bindingNames.get(model)?.get(JSON.stringify(resolveTsOptions(ctx.ts)));
  // Names only: the glue, most of the view's cost, is not composed (the TS target may run on
  // another thread, or not at all).
  return known ?? rememberBindingNames(model, tsView(model, ctx, false));
}

/** The static runtime, copied into every output after the banner (see templates/ts/runtime.ts). */
export const STATIC_RUNTIME = path.join(TEMPLATES_DIR, "ts", "runtime.ts");

/**
 * The runtime with its relative `.ts` specifiers given `extension`. The file is ours and imports
 * on single lines only (`import { ... } from "./contract.ts";`), so a line rewrite does it without
 * parsing 600 lines on every gen; a test holds it equal to rewriteRelativeImports, which parses.
 */
export function runtimeWithExtension(source: string, extension: SpecifierExtension): string {
  return source.replace(/^((?:import|export)\b[^\n]* from ")(\.\.?\/[^"\n]*)\.ts(";)$/gm, (_, head: string, file: string, tail: string) => `${head}${file}${extension}${tail}`);
}

function staticRuntime(view: Pick<TsView, "banner" | "options">): string {
  const source = readFileSync(STATIC_RUNTIME, "utf8");
  return `${view.banner}\n//\n${runtimeWithExtension(source, SPECIFIER_EXTENSION[view.options.importExtension])}`;
}

export const tsTarget: Target = {
  name: "ts",
  async generate(model, ctx): Promise<GeneratedFile[]> {
    const views = tsViews(model, ctx);
    const files: GeneratedFile[] = [];
    const emit = async (name: string, text: string): Promise<void> => {
      // Laid out by their templates (the static runtime is kept in prettier's format as it is
      // checked in); prettier runs only on pieces that need it (see layoutTypeScript).
      const ts = await layoutTypeScript(text);
      if (views.shared.options.target === "ts") {
        files.push({ path: `ts/${name}.ts`, content: ts });
      } else {
        // JavaScript and declarations from the formatted TypeScript: one rendering, three views of
        // it. The transpiler (prettier's babel parser) is loaded only for this output.
        const { declarations, eraseTypes } = await import("./ts-transpile.ts");
        files.push({ path: `ts/${name}.js`, content: await formatJavaScript(await eraseTypes(ts, `${name}.ts`)) });
        files.push({ path: `ts/${name}.d.ts`, content: await formatTypeScript(await declarations(ts, `${name}.ts`)) });
      }
    };
    await emit("runtime", staticRuntime(views.shared));
    await emit("contract", renderTemplate("ts/contract.ts.hbs", views.shared.contract));
    await emit("types", renderTemplate("ts/types.ts.hbs", views.shared.types));
    // Each module rendered as soon as its view is made; index.ts and the docs keep what they read of it.
    const modules: ModuleView[] = [];
    for (const m of model.modules) {
      const view = views.module(m);
      await emit(view.module, renderTemplate("ts/module.ts.hbs", view));
      modules.push({ ...view, glue: [], resultTypes: [] });
    }
    const whole = views.finish(modules);
    rememberBindingNames(model, whole);
    await emit("index", renderTemplate("ts/index.ts.hbs", whole.index));
    return files;
  },
};
