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
import { lineBanner } from "./banner.ts";
import { formatJavaScript, formatTypeScript } from "./format.ts";
import type { GeneratedFile, GenContext, Target } from "./index.ts";
import { resolveTsOptions, type TsOptions } from "./options.ts";
import { renderTemplate, TEMPLATES_DIR } from "./render.ts";
import { declarations, eraseTypes, rewriteRelativeImports } from "./ts-transpile.ts";

// ---------------------------------------------------------------------------------------------
// Names

const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false " +
    "finally for function if import in instanceof new null return super switch this throw true try " +
    "typeof var void while with implements interface let package private protected public static " +
    "yield await arguments eval undefined"
  ).split(" "),
);

/** Global names types.ts relies on; a contract type with one of these names gets a `Type` suffix. */
const SHADOWED_GLOBALS = new Set([
  "Array",
  "BigInt",
  "Boolean",
  "DataView",
  "Error",
  "Map",
  "Number",
  "Object",
  "Promise",
  "Set",
  "String",
  "Symbol",
  "Uint8Array",
  "WebAssembly",
]);

function words(name: string): string[] {
  return name.split("_").filter((w) => w.length > 0);
}

function safeIdentifier(name: string): string {
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** `fd_write` -> `FdWrite`; `2big` -> `_2big`. Types, enum and flags members, interfaces. */
export function pascalCase(name: string): string {
  return safeIdentifier(
    words(name)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(""),
  );
}

/** `buf_len` -> `bufLen`: fields, methods, parameters, implementation keys. */
export function camelCase(name: string): string {
  const pascal = words(name)
    .map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1)))
    .join("");
  return safeIdentifier(pascal);
}

/** A camelCase name usable as a parameter (reserved words get a trailing `_`). */
export function parameterName(name: string): string {
  const camel = camelCase(name);
  return RESERVED_WORDS.has(camel) || camel === "ctx" ? `${camel}_` : camel;
}

/** `dircookie_start` -> `DIRCOOKIE_START`. */
export function constantName(name: string): string {
  return safeIdentifier(name.toUpperCase());
}

export function typeName(name: string): string {
  const pascal = pascalCase(name);
  return SHADOWED_GLOBALS.has(pascal) ? `${pascal}Type` : pascal;
}

/** Every exported name across generated/ts, so two declarations never collide. */
class NameRegistry {
  private readonly owners = new Map<string, string>();
  claim(name: string, owner: string): string {
    const previous = this.owners.get(name);
    if (previous !== undefined)
      throw new Error(`ts target: \`${name}\` is generated for both ${previous} and ${owner}`);
    this.owners.set(name, owner);
    return name;
  }
}

/** What contract.ts exports. */
const CONTRACT_EXPORTS = ["TIERS", "Tier", "GLUE_ERRNO"];

/** What the static runtime (templates/ts/runtime.ts) exports; a test keeps this list exact. */
export const RUNTIME_EXPORTS = [
  "Failure",
  "fail",
  "ProcExit",
  "MemorySource",
  "GuestMemory",
  "elementAt",
  "ScalarList",
  "U8List",
  "S8List",
  "U16List",
  "S16List",
  "U32List",
  "S32List",
  "U64List",
  "S64List",
  "F32List",
  "F64List",
  "BoolList",
  "CallContext",
  "CallSite",
  "ErrorHook",
  "ImportOptions",
  "GuestImports",
  "Linker",
  "provides",
];

/** What index.ts declares itself. */
const INDEX_EXPORTS = ["createImports", "Implementations"];

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

class Types {
  readonly byName = new Map<string, TypeModel>();
  constructor(readonly model: ContractModel) {
    for (const t of model.types) this.byName.set(t.name, t);
  }

  get(name: string): TypeModel {
    const t = this.byName.get(name);
    if (t === undefined) throw new Error(`ts target: unknown type ${name}`);
    return t;
  }

  shape(ref: TypeRef): Shape {
    switch (ref.kind) {
      case "primitive":
        return { kind: "scalar", scalar: PRIMITIVE_KIND[ref.name], enumType: null };
      case "ptr":
        return { kind: "scalar", scalar: "u32", enumType: null };
      case "string":
        return { kind: "string" };
      case "list":
        return { kind: "list", of: ref.of, writable: false };
      case "buffer":
        return { kind: "list", of: ref.of, writable: true };
      case "named": {
        const t = this.get(ref.name);
        switch (t.kind) {
          case "alias":
            return this.shape(t.target);
          case "enum":
            return { kind: "scalar", scalar: PRIMITIVE_KIND[t.repr], enumType: typeName(t.name) };
          case "flags":
            return { kind: "scalar", scalar: PRIMITIVE_KIND[t.repr], enumType: null };
          case "struct":
          case "variant":
            return { kind: "record", type: t };
        }
      }
    }
  }

  /**
   * The member values of a closed enum behind `ref` (aliases followed), or null for anything
   * else: an open enum, or a 64-bit one. Hosts reject other values of a closed enum.
   */
  closedEnumValues(ref: TypeRef): number[] | null {
    if (ref.kind !== "named") return null;
    const t = this.get(ref.name);
    if (t.kind === "alias") return this.closedEnumValues(t.target);
    if (t.kind !== "enum" || t.open || t.repr === "u64") return null;
    return t.members.map((m) => Number(m.value));
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
    const shape = this.shape(of);
    if (shape.kind === "scalar") {
      if (SCALAR_DV[shape.scalar].size === 1 && shape.scalar !== "bool") return "Uint8Array";
      return scalarView(shape.scalar).listClass;
    }
    if (shape.kind === "record") return `${typeName(shape.type.name)}List`;
    throw new Error(`ts target: list of ${of.kind} is not supported`);
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
    const t = this.get(enumName);
    if (t.kind !== "enum") throw new Error(`ts target: ${enumName} is not an enum`);
    const m = t.members.find((x) => x.name === member);
    if (m === undefined || typeof m.value !== "number") {
      throw new Error(
        `ts target: error enum ${enumName} needs a member \`${member}\` (the glue returns it)`,
      );
    }
    return m.value;
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
  | { kind: "alias"; name: string; target: string; docs: string[] }
  | {
      kind: "enum" | "flags";
      name: string;
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
    lines.push(`@deprecated since ${d.since}: ${parts.join("; ")}`);
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

function valueTypeOf(types: Types, repr: PrimitiveName): "number" | "bigint" {
  return SCALAR_DV[PRIMITIVE_KIND[repr]].ts === "bigint" ? "bigint" : "number";
}

function typeView(types: Types, t: TypeModel, names: NameRegistry): TypeView {
  const name = names.claim(typeName(t.name), `type ${t.name}`);
  const docs = withGate(t.docs, t);
  switch (t.kind) {
    case "alias":
      return { kind: "alias", name, target: types.tsType(t.target), docs };
    case "enum":
    case "flags": {
      const valueType = valueTypeOf(types, t.repr);
      const seen = new Set<string>();
      const members = t.members.map((m) => {
        const member = pascalCase(m.name);
        if (seen.has(member))
          throw new Error(`ts target: ${t.name} has two members named ${member}`);
        seen.add(member);
        return { name: member, value: literal(m.value, valueType), docs: docLines(m.docs) };
      });
      return { kind: t.kind, name, members, valueType, docs };
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
      return {
        kind: "variant",
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
  const value = ts === "boolean" ? String(c.value !== 0 && c.value !== "0") : literal(c.value, ts);
  return {
    name: names.claim(constantName(c.name), `constant ${c.name}`),
    type: types.tsType(c.type),
    value,
    docs: withGate(c.docs, c),
  };
}

// ---------------------------------------------------------------------------------------------
// Module views: the implementation interface and the glue of each function

export interface ParamDocView {
  name: string;
  text: string;
}

export interface MethodView {
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

/** The value a plain-scalar function returns when it cannot succeed, as its docs state it. */
export function scalarErrorValues(
  fn: FunctionModel,
  ts: string,
  fault: number,
): { error: string; fault: string } {
  const docs = `${fn.docs}\n${fn.resultDocs}`;
  const zero = ts === "bigint" ? "0n" : "0";
  let error = zero;
  if (/`?u64::MAX`? on error/.test(docs)) error = "0xffffffffffffffffn";
  else if (/`?-1`? on error/.test(docs)) error = ts === "bigint" ? "-1n" : "-1";
  // A function documenting "a bad ... range returns `errno::fault`" keeps that answer.
  const faultValue = /range[^.]*`errno::fault`/.test(docs.replace(/\s+/g, " "))
    ? ts === "bigint"
      ? `${fault}n`
      : String(fault)
    : error;
  return { error, fault: faultValue };
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

  constructor(
    readonly types: Types,
    readonly names: NameRegistry,
    readonly specifier: (file: string) => string,
  ) {}

  /** Records the types.ts names a TypeScript type expression refers to. */
  useType(ts: string): string {
    for (const id of ts.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (["number", "bigint", "boolean", "string", "void", "typeof"].includes(id)) continue;
      if (id === "Uint8Array") continue;
      if (/^(U|S|F)(8|16|32|64)List$|^BoolList$/.test(id)) this.runtimeImports.add(id);
      else this.typeImports.add(id);
    }
    return ts;
  }

  useValue(name: string): string {
    if (/^(U|S|F)(8|16|32|64)List$|^BoolList$/.test(name)) this.runtimeImports.add(name);
    else this.valueImports.add(name);
    return name;
  }

  build(model: ContractModel, mod: ModuleModel, banner: string): ModuleView {
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
    return {
      banner,
      module: mod.name,
      fileName: `${mod.name}.ts`,
      importPath: this.specifier(mod.name),
      imports: {
        runtime: this.specifier("runtime"),
        contract: this.specifier("contract"),
        types: this.specifier("types"),
      },
      interfaceName,
      implKey: camelCase(mod.name),
      linkName,
      aliases: mod.aliases.map((a) => JSON.stringify(a)),
      docs: withGate(mod.docs, mod),
      methods,
      resultTypes,
      glue,
      typeImports,
      valueImports,
      runtimeImports: [...this.runtimeImports].sort(),
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
    const errorEnum = result.kind === "expected" ? result.error : null;
    const errno = (member: string): number => types.errnoValue(errorEnum ?? "errno", member);

    // Lowered values: locals for pointers and lengths, range checks, then lifted arguments.
    const locals: string[] = [];
    const setup: string[] = [];
    const checks: string[] = [];
    // Values of closed enums that no member has: answered `inval` before the implementation runs.
    const memberChecks: string[] = [];
    const decodes: string[] = [];
    const args: string[] = [];
    const signature: string[] = [];
    const paramDocs: string[] = [];
    let core = 0;
    for (const p of fn.params) {
      const raw = coreNames.slice(core, core + p.core.length);
      core += p.core.length;
      const pname = parameterName(p.name);
      const shape = types.shape(p.type);
      const pts = this.useType(types.tsType(p.type));
      signature.push(`${pname}: ${pts}`);
      if (p.docs.trim() !== "") paramDocs.push(`@param ${pname} ${docLines(p.docs).join(" ")}`);
      const local = `$p${args.length}`;
      if (shape.kind === "scalar") {
        const lifted = LIFT[shape.scalar].replace("$", raw[0]);
        if (p.type.kind === "ptr") {
          const { size, align } = types.layout(p.type.to);
          locals.push(`const ${local} = ${raw[0]} >>> 0;`);
          checks.push(`$m.fits(${local}, ${size}, ${align})`);
          args.push(local);
        } else {
          const closed = result.kind === "expected" ? types.closedEnumValues(p.type) : null;
          if (closed !== null && closed.length > 0) {
            locals.push(`const ${local} = ${lifted};`);
            memberChecks.push(memberTest(local, closed));
          }
          const value = closed !== null && closed.length > 0 ? local : lifted;
          args.push(shape.enumType === null ? value : `(${value}) as ${this.useType(shape.enumType)}`);
        }
      } else if (shape.kind === "string") {
        locals.push(`const ${local} = ${raw[0]} >>> 0, $n${args.length} = ${raw[1]} >>> 0;`);
        checks.push(`$m.fits(${local}, $n${args.length}, 1)`);
        decodes.push(`const $s${args.length} = $m.decode(${local}, $n${args.length});`);
        decodes.push(`if ($s${args.length} === null) {{INVALID}}`);
        args.push(`$s${args.length}`);
      } else if (shape.kind === "list") {
        const n = `$n${args.length}`;
        const { size, align } = types.layout(shape.of);
        locals.push(`const ${local} = ${raw[0]} >>> 0, ${n} = ${raw[1]} >>> 0;`);
        checks.push(`$m.fits(${local}, ${size === 1 ? n : `${n} * ${size}`}, ${align})`);
        const cls = types.listClass(shape.of);
        if (cls === "Uint8Array") args.push(`$m.u8.subarray(${local}, ${local} + ${n})`);
        else if (types.shape(shape.of).kind === "record") {
          // A record list accessor is allocated once per import and re-aimed on every call; a
          // re-entrant call (an implementation calling back into the guest) gets its own.
          const reused = `$list${args.length}`;
          setup.push(`const ${reused} = new ${this.useValue(cls)}($m, 0, 0);`);
          args.push(`($own ? ${reused}.reset(${local}, ${n}) : new ${cls}($m, ${local}, ${n}))`);
        } else args.push(`new ${this.useValue(cls)}($m, ${local}, ${n})`);
      } else {
        throw new Error(
          `ts target: ${fn.name}: parameter ${p.name} passes a ${p.type.kind} by value`,
        );
      }
    }

    // Out-values of result<T, errno>: one trailing out-pointer each, validated up front.
    const writes: string[] = [];
    let returns: string;
    if (result.kind === "expected") {
      const outs = result.values.map((v, i) => {
        const local = `$o${i}`;
        locals.push(`const ${local} = ${coreNames[core + i]} >>> 0;`);
        const { size, align } = types.layout(v.type);
        checks.push(`$m.fits(${local}, ${size}, ${align})`);
        const shape = types.shape(v.type);
        if (shape.kind === "record") this.useValue(`store${typeName(shape.type.name)}`);
        return { v, local };
      });
      core += result.values.length;
      if (result.values.length === 0) {
        returns = "void | Failure";
      } else if (result.values.length === 1) {
        returns = `${this.useType(types.tsType(result.values[0].type))} | Failure`;
        writes.push(types.store(result.values[0].type, "$dv", outs[0].local, "$r"));
      } else {
        const name = this.names.claim(
          `${pascalCase(fn.name)}Result`,
          `function ${mod.name}.${fn.name}`,
        );
        resultTypes.push({
          name,
          docs: [`The out-values of \`${fn.name}\`.`],
          fields: result.values.map((v) => ({
            name: camelCase(v.name),
            type: this.useType(types.tsType(v.type)),
            docs: docLines(v.docs),
          })),
        });
        returns = `${name} | Failure`;
        for (const { v, local } of outs)
          writes.push(types.store(v.type, "$dv", local, `$r.${camelCase(v.name)}`));
      }
    } else if (result.kind === "scalar") {
      returns = this.useType(types.tsType(result.type));
    } else {
      returns = "void";
    }
    if (core !== fn.core.params.length) {
      throw new Error(
        `ts target: ${fn.name}: params lower to ${core} core values, the model says ${fn.core.params.length}`,
      );
    }

    const call = `$impl.${method}(${[...args, "$ctx"].join(", ")})`;
    const site = `$where`;
    const body: string[] = [...locals];
    if (result.kind === "expected") {
      const fault = errno("fault");
      const ilseq = errno("ilseq");
      if (checks.length > 0) body.push(`if (!(${checks.join(" && ")})) return ${fault}; // fault`);
      if (memberChecks.length > 0)
        body.push(`if (!(${memberChecks.join(" && ")})) return ${errno("inval")}; // inval`);
      body.push(...decodes.map((d) => d.replace("{{INVALID}}", `return ${ilseq}; // ilseq`)));
      body.push("try {");
      // How a Failure is told from a success, cheapest first: `instanceof` is a call V8 does not
      // fold for an imported class, so it is kept for object results only.
      if (result.values.length === 0) {
        body.push(`const $r = ${call};`, "return $r === undefined ? 0 : $r.errno;");
      } else {
        const isFailure = failureTest(types, result.values);
        body.push(
          `const $r = ${call};`,
          `if (${isFailure}) return $r.errno;`,
          "const $dv = $m.current();",
          ...writes,
          "return 0;",
        );
      }
      body.push("} catch ($e) {", `return $link.caught($e, ${site}, ${errno("io")}); // io`, "}");
    } else if (result.kind === "scalar") {
      const shape = types.shape(result.type);
      if (shape.kind !== "scalar")
        throw new Error(`ts target: ${fn.name} returns a non-scalar directly`);
      const ts = SCALAR_DV[shape.scalar].ts;
      const values = scalarErrorValues(
        fn,
        ts === "bigint" ? "bigint" : "number",
        types.errnoValue("errno", "fault"),
      );
      if (checks.length > 0) body.push(`if (!(${checks.join(" && ")})) return ${values.fault};`);
      body.push(...decodes.map((d) => d.replace("{{INVALID}}", `return ${values.error};`)));
      const lowered = ts === "boolean" ? `${call} ? 1 : 0` : call;
      body.push(
        "try {",
        `return ${lowered};`,
        "} catch ($e) {",
        `$link.caught($e, ${site}, 0);`,
        `return ${values.error};`,
        "}",
      );
    } else if (result.kind === "none") {
      if (checks.length > 0) body.push(`if (!(${checks.join(" && ")})) return;`);
      body.push(...decodes.map((d) => d.replace("{{INVALID}}", "return;")));
      body.push("try {", `${call};`, "} catch ($e) {", `$link.caught($e, ${site}, 0);`, "}");
    } else {
      // `-> !`: the implementation is told, then the guest always unwinds with ProcExit.
      const first = fn.params.length > 0 ? args[0] : "0";
      const code =
        fn.params.length > 0 && types.tsType(fn.params[0].type) === "bigint"
          ? `Number(${first})`
          : first;
      if (checks.length > 0)
        body.push(`if (!(${checks.join(" && ")})) throw new ProcExit(${code});`);
      body.push(...decodes.map((d) => d.replace("{{INVALID}}", `throw new ProcExit(${code});`)));
      body.push(
        "try {",
        `${call};`,
        "} catch ($e) {",
        `$link.caught($e, ${site}, 0);`,
        "}",
        `throw new ProcExit(${code});`,
      );
      this.runtimeImports.add("ProcExit");
    }
    if (result.kind === "expected") this.runtimeImports.add("Failure");

    const docs = withGate(fn.docs, fn);
    const extra = [...paramDocs];
    if (fn.compat !== null) extra.push(`Compat: ${fn.compat}`);
    if (fn.deviation !== null) extra.push(`Deviation: ${fn.deviation}`);
    if (result.kind === "noreturn")
      extra.push("@returns nothing: the glue then throws `ProcExit` with the first argument.");
    else if (fn.resultDocs.trim() !== "")
      extra.push(`@returns ${docLines(fn.resultDocs).join(" ")}`);
    if (setup.length > 0) {
      // The shared accessors belong to one call at a time: a call made while another is inside
      // the implementation (it called back into the guest) builds its own. Released as soon as
      // the implementation returns or throws; cheaper than try/finally on this path.
      setup.push("let $free = true;");
      const open = body.indexOf("try {");
      const call = body.findIndex((l) => l.includes(`$impl.${method}(`));
      const caught = body.indexOf("} catch ($e) {");
      if (open < 0 || call < open || caught < call) throw new Error(`ts target: ${fn.name}: no call block to guard`);
      body.splice(caught + 1, 0, "if ($own) $free = true;");
      body.splice(call + 1, 0, "if ($own) $free = true;");
      body.splice(open, 0, "const $own = $free;", "$free = false;");
    }
    methods.push({
      name: method,
      signature: [...signature, "ctx: CallContext"].join(", "),
      returns,
      docs: docs.length > 0 && extra.length > 0 ? [...docs, "", ...extra] : [...docs, ...extra],
    });
    return { ...base, method: JSON.stringify(method), coreParams, setup, body };
  }
}

// ---------------------------------------------------------------------------------------------
// The whole target

/** A test that `local` is one of `values`: a range check when they are contiguous. */
function memberTest(local: string, values: number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  if (hi - lo + 1 === sorted.length) return lo === 0 ? `${local} <= ${hi}` : `(${local} >= ${lo} && ${local} <= ${hi})`;
  return `(${sorted.map((v) => `${local} === ${v}`).join(" || ")})`;
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
  index: { banner: string; modules: ModuleView[]; imports: ImportPaths; extension: string };
}

const SPECIFIER_EXTENSION = { js: ".js", ts: ".ts", none: "" } as const;

export function tsView(model: ContractModel, ctx: GenContext): TsView {
  const options = resolveTsOptions(ctx.ts);
  const specifier = (file: string): string => `./${file}${SPECIFIER_EXTENSION[options.importExtension]}`;
  const imports: ImportPaths = { runtime: specifier("runtime"), contract: specifier("contract"), types: specifier("types") };
  const types = new Types(model);
  const names = new NameRegistry();
  for (const n of RUNTIME_EXPORTS) names.claim(n, "runtime.ts");
  for (const n of CONTRACT_EXPORTS) names.claim(n, "contract.ts");
  for (const n of INDEX_EXPORTS) names.claim(n, "index.ts");
  const banner = lineBanner(model, ctx.source);
  const errno = (m: string): number => types.errnoValue("errno", m);
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
  const modules = model.modules.map((m) => new ModuleBuilder(types, names, specifier).build(model, m, banner));
  return {
    options,
    banner,
    contract,
    types: { banner, types: typeViews, constants, imports, ...typesImports },
    modules,
    index: { banner, modules, imports, extension: SPECIFIER_EXTENSION[options.importExtension] },
  };
}

/** The static runtime, copied into every output after the banner (see templates/ts/runtime.ts). */
export const STATIC_RUNTIME = path.join(TEMPLATES_DIR, "ts", "runtime.ts");

async function staticRuntime(view: TsView): Promise<string> {
  const source = readFileSync(STATIC_RUNTIME, "utf8");
  const text = await rewriteRelativeImports(source, STATIC_RUNTIME, SPECIFIER_EXTENSION[view.options.importExtension]);
  return `${view.banner}\n//\n${text}`;
}

export const tsTarget: Target = {
  name: "ts",
  async generate(model, ctx): Promise<GeneratedFile[]> {
    const view = tsView(model, ctx);
    const sources: { name: string; text: string }[] = [
      { name: "runtime", text: await staticRuntime(view) },
      { name: "contract", text: renderTemplate("ts/contract.ts.hbs", view.contract) },
      { name: "types", text: renderTemplate("ts/types.ts.hbs", view.types) },
      { name: "index", text: renderTemplate("ts/index.ts.hbs", view.index) },
      ...view.modules.map((m) => ({ name: m.module, text: renderTemplate("ts/module.ts.hbs", m) })),
    ];
    const files: GeneratedFile[] = [];
    for (const { name, text } of sources) {
      const ts = await formatTypeScript(text);
      if (view.options.target === "ts") {
        files.push({ path: `ts/${name}.ts`, content: ts });
      } else {
        // JavaScript and declarations from the formatted TypeScript: one rendering, three views of it.
        files.push({ path: `ts/${name}.js`, content: await formatJavaScript(await eraseTypes(ts, `${name}.ts`)) });
        files.push({ path: `ts/${name}.d.ts`, content: await formatTypeScript(await declarations(ts, `${name}.ts`)) });
      }
    }
    return files;
  },
};
