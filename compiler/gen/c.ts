// The C target: generated/c/wasi/api.h (a drop-in for wasi-libc's preview1 header), one header
// per extension module, and the shared headers they include. Every C name, type spelling,
// ordering and lowering decision is made here; templates/c/*.hbs only lay the text out.
//
// Naming (wasi-libc's for preview1, the same pattern keyed by scope for everything else):
// - A top-level type `X` is `__wasi_X_t`, its members `__WASI_X_MEMBER`, a top-level constant
//   `N` is `__WASI_N`. A type or constant declared in module `M` (or in the command block,
//   scope `command`) is `__M_X_t`, `__M_X_MEMBER`, `__M_N` (upper-cased for macros).
// - A wasi_snapshot_preview1 function `f` is the prototype `__wasi_f` (wasi-libc defines it);
//   an extension function `f` of module `M` is the raw import `__imported_M_f` (core types only)
//   plus the typed `static inline` wrapper `__M_f`.
// - Raw preview1 imports are not declared in api.h: wasi-libc and other runtimes define their own
//   `__imported_wasi_snapshot_preview1_*` with varying integer types, and a second declaration
//   with different types would break them.
//
// Files: top-level types reachable from preview1 functions, or from no extension function at
// all (e.g. `dirent`, which wasi-libc's readdir uses but no import mentions), go in wasi/api.h;
// top-level types only extension modules use go in abic/common.h; module-scoped items go in
// `<module>.h`; command-block constants in abic/command.h. Top-level constants follow their
// named type, and primitive-typed ones go in abic/common.h.

import type {
  CaseModel,
  ConstModel,
  ContractModel,
  CoreType,
  FieldModel,
  FunctionModel,
  ModuleModel,
  PrimitiveName,
  TypeModel,
  TypeRef,
} from "../model.ts";
import { cBanner } from "./banner.ts";
import { formatC } from "./format.ts";
import type { GeneratedFile, Target } from "./index.ts";
import { renderTemplate } from "./render.ts";

export const PREVIEW1 = "wasi_snapshot_preview1";
export const API_HEADER = "wasi/api.h";
export const COMMON_HEADER = "abic/common.h";
export const COMMAND_HEADER = "abic/command.h";

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const C_KEYWORDS = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile " +
    "while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local " +
    "bool true false alignas alignof noreturn static_assert thread_local"
  ).split(" "),
);

/** A parameter, field or case name usable as a C identifier. */
export function cIdentifier(name: string): string {
  return C_KEYWORDS.has(name) ? `${name}_` : name;
}

function scopePrefix(scope: string | null): string {
  return scope === null ? "__wasi" : `__${scope}`;
}

function macroPrefix(scope: string | null): string {
  return scopePrefix(scope).toUpperCase();
}

function typeByName(model: ContractModel, name: string): TypeModel {
  const t = model.types.find((t) => t.name === name);
  if (!t) throw new Error(`C target: the model has no type \`${name}\``);
  return t;
}

/** `__wasi_errno_t`, `__host_process_spawn_flags_t`. */
export function cTypeName(model: ContractModel, name: string): string {
  return `${scopePrefix(typeByName(model, name).scope)}_${name}_t`;
}

/** `__WASI_ERRNO_BADF`. */
export function cMemberMacro(type: TypeModel, member: string): string {
  return `${macroPrefix(type.scope)}_${type.name}_${member}`.toUpperCase();
}

/** `__WASI_DIRCOOKIE_START`, `__HOST_NET_SOL_SOCKET`. */
export function cConstMacro(c: ConstModel): string {
  return `${macroPrefix(c.scope)}_${c.name}`.toUpperCase();
}

/** `__wasi_fd_write`, `__host_net_net_socket`. */
export function cFunctionName(module: string, fn: FunctionModel): string {
  return module === PREVIEW1 ? `__wasi_${fn.name}` : `__${module}_${fn.name}`;
}

export function cImportName(module: string, fn: FunctionModel): string {
  return `__imported_${module}_${fn.name}`;
}

/** `__ABIC_FEATURE_POLL_EXT`: the macro that enables an unstable feature's declarations. */
export function cFeatureMacro(feature: string): string {
  return `__ABIC_FEATURE_${feature.toUpperCase()}`;
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

const PRIMITIVE_C: Record<PrimitiveName, string> = {
  u8: "uint8_t",
  u16: "uint16_t",
  u32: "uint32_t",
  u64: "uint64_t",
  s8: "int8_t",
  s16: "int16_t",
  s32: "int32_t",
  s64: "int64_t",
  f32: "float",
  f64: "double",
  bool: "_Bool",
  char8: "char",
  usize: "size_t",
  handle: "int",
};

/** The `<stdint.h>` constant macro for an integer representation, or null (bool, handle, floats). */
function intConstantMacro(p: PrimitiveName): string | null {
  if (/^u(8|16|32|64)$/.test(p)) return `UINT${p.slice(1)}_C`;
  if (/^s(8|16|32|64)$/.test(p)) return `INT${p.slice(1)}_C`;
  if (p === "usize") return "UINT32_C";
  if (p === "handle") return "INT32_C";
  return null;
}

/** The C spelling of a type at a field, case or pointer position. */
export function cType(model: ContractModel, t: TypeRef): string {
  switch (t.kind) {
    case "primitive":
      return PRIMITIVE_C[t.name];
    case "named":
      return cTypeName(model, t.name);
    case "ptr": {
      const to = cType(model, t.to);
      if (!t.const) return `${to} *`;
      return to.endsWith("*") ? `${to}const *` : `const ${to} *`;
    }
    default:
      throw new Error(`C target: \`${t.kind}\` is only valid as a function parameter`);
  }
}

/** `uint8_t *buf`, `__wasi_fd_t fd`: a declaration of `name` with C type `type`. */
export function cDeclaration(type: string, name: string): string {
  return type.endsWith("*") ? `${type}${name}` : `${type} ${name}`;
}

/** The primitive an alias, enum or flags type finally stands for (for constant literals). */
function underlyingPrimitive(model: ContractModel, t: TypeRef): PrimitiveName | null {
  if (t.kind === "primitive") return t.name;
  if (t.kind !== "named") return null;
  const named = typeByName(model, t.name);
  if (named.kind === "alias") return underlyingPrimitive(model, named.target);
  if (named.kind === "enum" || named.kind === "flags") return named.repr;
  return null;
}

/** `(UINT16_C(8))`; signed minimums are spelled so no literal overflows. */
export function cIntegerLiteral(repr: PrimitiveName, value: number | string): string {
  const v = BigInt(value);
  const macro = intConstantMacro(repr);
  if (repr === "bool") return `(${v === 0n ? 0 : 1})`;
  if (!macro) return `(${v})`;
  if (macro.startsWith("INT") && v < 0n) {
    const bits = BigInt(macro.slice(3, -2));
    const min = -(1n << (bits - 1n));
    if (v === min) return `(-${macro}(${-min - 1n}) - 1)`;
  }
  return `(${macro}(${v}))`;
}

/** `((__wasi_rights_t)(UINT64_C(1) << 29))` for one bit, the hex mask for several. */
function flagLiteral(cName: string, repr: PrimitiveName, value: number | string): string {
  const v = BigInt(value);
  const macro = intConstantMacro(repr) ?? "UINT64_C";
  const bit = v > 0n && (v & (v - 1n)) === 0n ? v.toString(2).length - 1 : -1;
  if (bit >= 0) return `((${cName})(${macro}(1) << ${bit}))`;
  return `((${cName})(${macro}(0x${v.toString(16)})))`;
}

// ---------------------------------------------------------------------------------------------
// Doc comments
// ---------------------------------------------------------------------------------------------

/** Doc text as comment lines, with the sequences that would end or nest the comment escaped. */
export function cDocLines(...parts: (string | null | undefined)[]): string[] {
  const text = parts
    .filter((p): p is string => !!p && p.trim() !== "")
    .map((p) => p.trim())
    .join("\n");
  if (!text) return [];
  return text
    .replace(/\*\//g, "*\\/")
    .replace(/\/\*/g, "/\\*")
    .replace(/\?\?/g, "?\\?")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""));
}

function gateDocLines(
  item: { since: string | null; unstable: string | null; deprecated: ConstModel["deprecated"] },
  useName: string | null,
): string[] {
  const lines: string[] = [];
  if (item.unstable) lines.push(`Unstable: declared only when \`${cFeatureMacro(item.unstable)}\` is defined.`);
  if (item.deprecated) {
    const d = item.deprecated;
    const how = [useName ? `use \`${useName}\`` : null, d.note].filter(Boolean).join("; ");
    lines.push(`@deprecated Since ${d.since}${how ? `: ${how}` : ""}.`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// View model
// ---------------------------------------------------------------------------------------------

export interface CMacroView {
  doc: string[];
  name: string;
  value: string;
}

export interface CMemberDeclView {
  doc: string[];
  /** `uint8_t *buf` */
  decl: string;
}

export interface CTypeView {
  doc: string[];
  name: string;
  /** The feature macro guarding it, or null. */
  feature: string | null;
  isTypedef: boolean;
  isStruct: boolean;
  isVariant: boolean;
  /** typedef target (alias, enum, flags). */
  target: string;
  /** enum and flags members. */
  members: CMacroView[];
  /** struct fields. */
  fields: CMemberDeclView[];
  /** variant: union type name, its payload cases, and the tag's integer type. */
  unionName: string;
  cases: CMemberDeclView[];
  hasUnion: boolean;
  tagType: string;
  asserts: string[];
}

export interface CConstView extends CMacroView {
  feature: string | null;
}

export interface CParamView {
  doc: string[];
  decl: string;
  /** "," after every parameter but the last. */
  sep: string;
}

export interface CFunctionView {
  doc: string[];
  feature: string | null;
  name: string;
  /** `__wasi_errno_t`, `_Noreturn void`. */
  returnType: string;
  params: CParamView[];
  /** `__attribute__((...))` specifiers. */
  attributes: string[];
  /** Raw import (extension modules only). */
  importName: string;
  importReturnType: string;
  importParams: string[];
  importAttribute: string;
  /** Wrapper body statements (extension modules only). */
  body: string[];
}

export interface CHeaderView {
  banner: string;
  path: string;
  guard: string;
  doc: string[];
  isApi: boolean;
  includes: string[];
  versionMacros: CMacroView[];
  /** Guards the whole header body when the module itself is unstable. */
  feature: string | null;
  types: CTypeView[];
  constants: CConstView[];
  moduleName: string;
  functions: CFunctionView[];
}

/** Which header a top-level or scoped item belongs to. */
export interface CPlacement {
  typeHeader: Map<string, string>;
  constHeader: Map<string, string>;
}

function moduleHeader(scope: string): string {
  return scope === "command" ? COMMAND_HEADER : `${scope}.h`;
}

/** Named types a type reference mentions, directly or through the referenced types. */
function collectReachable(model: ContractModel, t: TypeRef, into: Set<string>): void {
  switch (t.kind) {
    case "named": {
      if (into.has(t.name)) return;
      into.add(t.name);
      const named = typeByName(model, t.name);
      if (named.kind === "alias") collectReachable(model, named.target, into);
      if (named.kind === "struct") for (const f of named.fields) collectReachable(model, f.type, into);
      if (named.kind === "variant") {
        collectReachable(model, { kind: "named", name: named.tag }, into);
        for (const c of named.cases) if (c.payload) collectReachable(model, c.payload, into);
      }
      return;
    }
    case "ptr":
      return collectReachable(model, t.to, into);
    case "list":
    case "buffer":
      return collectReachable(model, t.of, into);
    default:
      return;
  }
}

function functionTypeRefs(model: ContractModel, fn: FunctionModel): TypeRef[] {
  const refs = fn.params.map((p) => p.type);
  if (fn.result.kind === "scalar") refs.push(fn.result.type);
  if (fn.result.kind === "expected") {
    refs.push({ kind: "named", name: fn.result.error });
    for (const v of fn.result.values) refs.push(v.type);
  }
  return refs;
}

function reachableFrom(model: ContractModel, modules: ModuleModel[]): Set<string> {
  const set = new Set<string>();
  for (const m of modules)
    for (const fn of m.functions) for (const r of functionTypeRefs(model, fn)) collectReachable(model, r, set);
  return set;
}

export function cPlacement(model: ContractModel): CPlacement {
  const preview1 = reachableFrom(
    model,
    model.modules.filter((m) => m.name === PREVIEW1),
  );
  const extensions = reachableFrom(
    model,
    model.modules.filter((m) => m.name !== PREVIEW1),
  );
  const api = new Set<string>();
  for (const t of model.types) {
    if (t.scope === null && (preview1.has(t.name) || !extensions.has(t.name)))
      collectReachable(model, { kind: "named", name: t.name }, api);
  }
  const typeHeader = new Map<string, string>();
  for (const t of model.types) {
    typeHeader.set(t.name, t.scope !== null ? moduleHeader(t.scope) : api.has(t.name) ? API_HEADER : COMMON_HEADER);
  }
  const constHeader = new Map<string, string>();
  for (const c of model.constants) {
    let header = COMMON_HEADER;
    if (c.scope !== null) header = moduleHeader(c.scope);
    else if (c.type.kind === "named") header = typeHeader.get(c.type.name) ?? COMMON_HEADER;
    constHeader.set(c.name, header);
  }
  return { typeHeader, constHeader };
}

function sizeAsserts(name: string, size: number, align: number): string[] {
  return [
    `_Static_assert(sizeof(${name}) == ${size}, "abic calculated size");`,
    `_Static_assert(_Alignof(${name}) == ${align}, "abic calculated align");`,
  ];
}

function offsetAssert(name: string, field: string, offset: number): string {
  return `_Static_assert(offsetof(${name}, ${field}) == ${offset}, "abic calculated offset");`;
}

function emptyType(doc: string[], name: string, feature: string | null): CTypeView {
  return {
    doc,
    name,
    feature,
    isTypedef: false,
    isStruct: false,
    isVariant: false,
    target: "",
    members: [],
    fields: [],
    unionName: "",
    cases: [],
    hasUnion: false,
    tagType: "",
    asserts: [],
  };
}

export function cTypeView(model: ContractModel, t: TypeModel): CTypeView {
  const name = cTypeName(model, t.name);
  const doc = [...cDocLines(t.docs), ...gateDocLines(t, null)];
  const view = emptyType(doc, name, t.unstable);
  view.feature = t.unstable ? cFeatureMacro(t.unstable) : null;
  view.asserts = sizeAsserts(name, t.size, t.align);
  switch (t.kind) {
    case "alias":
      view.isTypedef = true;
      // wasi-libc spells the pointer-sized alias with the compiler's own macro.
      view.target =
        t.target.kind === "primitive" && t.target.name === "usize" ? "__SIZE_TYPE__" : cType(model, t.target);
      break;
    case "enum":
      view.isTypedef = true;
      view.target = PRIMITIVE_C[t.repr];
      view.members = t.members.map((m) => ({
        doc: cDocLines(m.docs),
        name: cMemberMacro(t, m.name),
        value: cIntegerLiteral(t.repr, m.value),
      }));
      break;
    case "flags":
      view.isTypedef = true;
      view.target = PRIMITIVE_C[t.repr];
      view.members = t.members.map((m) => ({
        doc: cDocLines(m.docs),
        name: cMemberMacro(t, m.name),
        value: flagLiteral(name, t.repr, m.value),
      }));
      break;
    case "struct":
      view.isStruct = true;
      view.fields = t.fields.map((f: FieldModel) => ({
        doc: cDocLines(f.docs),
        decl: cDeclaration(cType(model, f.type), cIdentifier(f.name)),
      }));
      view.asserts.push(...t.fields.map((f) => offsetAssert(name, cIdentifier(f.name), f.offset)));
      break;
    case "variant": {
      const tag = typeByName(model, t.tag);
      if (tag.kind !== "enum") throw new Error(`C target: variant \`${t.name}\` has a tag that is not an enum`);
      view.isVariant = true;
      view.tagType = PRIMITIVE_C[tag.repr];
      view.unionName = name.replace(/_t$/, "_u_t");
      view.cases = t.cases
        .filter((c: CaseModel) => c.payload !== null)
        .map((c) => ({ doc: cDocLines(c.docs), decl: cDeclaration(cType(model, c.payload!), cIdentifier(c.name)) }));
      view.hasUnion = view.cases.length > 0;
      view.asserts.push(offsetAssert(name, "tag", 0));
      if (view.hasUnion) view.asserts.push(offsetAssert(name, "u", t.payloadOffset));
      break;
    }
  }
  return view;
}

export function cConstView(model: ContractModel, c: ConstModel): CConstView {
  const repr = underlyingPrimitive(model, c.type);
  if (!repr) throw new Error(`C target: constant \`${c.name}\` has a non-integer type`);
  return {
    doc: [...cDocLines(c.docs), ...gateDocLines(c, null)],
    name: cConstMacro(c),
    value: cIntegerLiteral(repr, c.value),
    feature: c.unstable ? cFeatureMacro(c.unstable) : null,
  };
}

/** One C parameter of a typed wrapper, plus the core arguments it lowers to. */
interface LoweredParam {
  decl: string;
  doc: string[];
  /** Core-wasm argument expressions, one per core param. */
  args: string[];
}

function coreCType(t: CoreType): string {
  return { i32: "int32_t", i64: "int64_t", f32: "float", f64: "double" }[t];
}

function pointerArg(name: string): string {
  return `(int32_t)(uintptr_t) ${name}`;
}

function lowerParams(model: ContractModel, fn: FunctionModel): LoweredParam[] {
  const lowered: LoweredParam[] = [];
  for (const p of fn.params) {
    const name = cIdentifier(p.name);
    const doc = cDocLines(p.docs);
    const t = p.type;
    if (t.kind === "string") {
      lowered.push({ decl: `const char *${name}`, doc, args: [pointerArg(name), `(int32_t) strlen(${name})`] });
    } else if (t.kind === "list" || t.kind === "buffer") {
      const elem = t.of.kind === "named" || t.of.kind === "primitive" || t.of.kind === "ptr" ? cType(model, t.of) : "";
      const ptrType = t.kind === "list" ? (elem.endsWith("*") ? `${elem}const *` : `const ${elem} *`) : `${elem} *`;
      lowered.push({ decl: cDeclaration(ptrType, name), doc, args: [pointerArg(name)] });
      const lenType = t.kind === "list" ? "size_t" : "__wasi_size_t";
      const what = t.kind === "list" ? "array" : "buffer";
      lowered.push({
        decl: `${lenType} ${name}_len`,
        doc: [`The length of the ${what} pointed to by \`${p.name}\`.`],
        args: [`(int32_t) ${name}_len`],
      });
    } else if (t.kind === "ptr") {
      lowered.push({ decl: cDeclaration(cType(model, t), name), doc, args: [pointerArg(name)] });
    } else {
      if (p.core.length !== 1)
        throw new Error(`C target: parameter \`${fn.name}.${p.name}\` lowers to ${p.core.length} core values`);
      lowered.push({ decl: cDeclaration(cType(model, t), name), doc, args: [`(${coreCType(p.core[0])}) ${name}`] });
    }
  }
  if (fn.result.kind === "expected") {
    fn.result.values.forEach((v, i) => {
      const name = `retptr${i}`;
      const doc = cDocLines(
        v.docs ||
          (fn.result.kind === "expected" && fn.result.values.length > 1 ? `Receives \`${v.name}\` on success.` : ""),
      );
      lowered.push({ decl: cDeclaration(`${cType(model, v.type)} *`, name), doc, args: [pointerArg(name)] });
    });
  }
  const args = lowered.reduce((n, p) => n + p.args.length, 0);
  if (args !== fn.core.params.length) {
    throw new Error(
      `C target: \`${fn.import.module}.${fn.name}\` lowers to ${args} core params, the model says ${fn.core.params.length}`,
    );
  }
  return lowered;
}

function returnType(model: ContractModel, fn: FunctionModel): string {
  switch (fn.result.kind) {
    case "none":
      return "void";
    case "noreturn":
      return "_Noreturn void";
    case "scalar":
      return cType(model, fn.result.type);
    case "expected":
      return cTypeName(model, fn.result.error);
  }
}

/** The C name a deprecation's `use = X` points at (`X` or `module.X`). */
function replacementName(model: ContractModel, module: string, use: string | null): string | null {
  if (!use) return null;
  const [m, f] = use.includes(".") ? use.split(".", 2) : [module, use];
  const target = model.modules.find((x) => x.name === m)?.functions.find((x) => x.name === f);
  return target ? cFunctionName(m, target) : use;
}

function functionAttributes(model: ContractModel, module: string, fn: FunctionModel): string[] {
  const attributes: string[] = [];
  if (fn.result.kind === "scalar" || fn.result.kind === "expected")
    attributes.push("__attribute__((__warn_unused_result__))");
  if (fn.deprecated) {
    const use = replacementName(model, module, fn.deprecated.use);
    const message = [use ? `use ${use}` : null, fn.deprecated.note].filter(Boolean).join(": ");
    attributes.push(`__attribute__((__deprecated__(${JSON.stringify(message)})))`);
  }
  return attributes;
}

function functionDoc(model: ContractModel, module: string, fn: FunctionModel): string[] {
  const lines = cDocLines(fn.docs);
  if (fn.status.kind === "refused")
    lines.push(
      `The runtime refuses to link this function (${fn.status.reason}): a guest that imports it fails to instantiate.`,
    );
  if (fn.status.kind === "stubbed")
    lines.push(`The runtime links this function, but it always returns \`${fn.status.errno}\`.`);
  if (fn.compat) lines.push(`Compat: ${fn.compat}`);
  if (fn.deviation) lines.push(`Deviation: ${fn.deviation}`);
  lines.push(...gateDocLines(fn, replacementName(model, module, fn.deprecated?.use ?? null)));
  if (fn.resultDocs.trim()) lines.push("@return", ...cDocLines(fn.resultDocs));
  return lines;
}

function wrapperBody(model: ContractModel, module: string, fn: FunctionModel, lowered: LoweredParam[]): string[] {
  const args = lowered.flatMap((p) => p.args);
  // The template indents every body line once more.
  const call = `${cImportName(module, fn)}(${args.length ? "\n    " + args.join(",\n    ") + "\n" : ""})`;
  switch (fn.result.kind) {
    case "none":
    case "noreturn":
      return [`${call};`];
    default: {
      const result = fn.core.results[0];
      if (fn.core.results.length !== 1)
        throw new Error(`C target: \`${module}.${fn.name}\` has ${fn.core.results.length} core results`);
      return [`${coreCType(result)} ret = ${call};`, `return (${returnType(model, fn)}) ret;`];
    }
  }
}

export function cFunctionView(model: ContractModel, module: string, fn: FunctionModel): CFunctionView {
  const lowered = lowerParams(model, fn);
  const params: CParamView[] = lowered.length
    ? lowered.map((p, i) => ({ doc: p.doc, decl: p.decl, sep: i < lowered.length - 1 ? "," : "" }))
    : [{ doc: [], decl: "void", sep: "" }];
  const extension = module !== PREVIEW1;
  return {
    doc: functionDoc(model, module, fn),
    feature: fn.unstable ? cFeatureMacro(fn.unstable) : null,
    name: cFunctionName(module, fn),
    returnType: returnType(model, fn),
    params,
    attributes: functionAttributes(model, module, fn),
    importName: extension ? cImportName(module, fn) : "",
    importReturnType:
      fn.result.kind === "noreturn"
        ? "_Noreturn void"
        : fn.core.results.length
          ? coreCType(fn.core.results[0])
          : "void",
    importParams: fn.core.params.length ? fn.core.params.map((t, i) => `${coreCType(t)} arg${i}`) : ["void"],
    importAttribute: `__attribute__((__import_module__(${JSON.stringify(fn.import.module)}), __import_name__(${JSON.stringify(fn.import.name)})))`,
    body: extension ? wrapperBody(model, module, fn, lowered) : [],
  };
}

/** The one-line C declaration of a function's typed wrapper, for the docs. */
export function cPrototype(model: ContractModel, fn: FunctionModel): string {
  const view = cFunctionView(model, fn.import.module, fn);
  return `${view.returnType} ${view.name}(${view.params.map((p) => p.decl).join(", ")});`;
}

function versionMacros(model: ContractModel): CMacroView[] {
  const prefix = `__ABIC_${model.package.name.toUpperCase()}_VERSION`;
  const [major, minor, patch] = model.package.version.split(/[.+-]/).map((n) => parseInt(n, 10));
  return [
    {
      doc: [`The version of ${model.package.name} these declarations were generated from.`],
      name: prefix,
      value: JSON.stringify(model.package.version),
    },
    { doc: [], name: `${prefix}_MAJOR`, value: String(major) },
    { doc: [], name: `${prefix}_MINOR`, value: String(minor) },
    { doc: [], name: `${prefix}_PATCH`, value: String(patch) },
  ];
}

/** Types of one header, each after the types it mentions (C needs a typedef before its use). */
function orderTypes(model: ContractModel, types: TypeModel[]): TypeModel[] {
  const inHeader = new Set(types.map((t) => t.name));
  const done = new Set<string>();
  const out: TypeModel[] = [];
  const visit = (t: TypeModel): void => {
    if (done.has(t.name)) return;
    done.add(t.name);
    const refs = new Set<string>();
    const direct = (r: TypeRef): void => {
      if (r.kind === "named") refs.add(r.name);
      else if (r.kind === "ptr") direct(r.to);
    };
    if (t.kind === "alias") direct(t.target);
    if (t.kind === "struct") t.fields.forEach((f) => direct(f.type));
    if (t.kind === "variant") t.cases.forEach((c) => c.payload && direct(c.payload));
    for (const r of refs) if (inHeader.has(r)) visit(typeByName(model, r));
    out.push(t);
  };
  types.forEach(visit);
  return out;
}

function headerIncludes(
  model: ContractModel,
  path: string,
  placement: CPlacement,
  types: TypeModel[],
  constants: ConstModel[],
  functions: FunctionModel[],
): string[] {
  const headers = new Set<string>();
  const refs = new Set<string>();
  for (const t of types) collectReachable(model, { kind: "named", name: t.name }, refs);
  for (const c of constants) collectReachable(model, c.type, refs);
  for (const fn of functions) for (const r of functionTypeRefs(model, fn)) collectReachable(model, r, refs);
  for (const r of refs) headers.add(placement.typeHeader.get(r)!);
  headers.add(API_HEADER);
  headers.delete(path);
  const rank = (h: string): string => (h === API_HEADER ? "0" : h === COMMON_HEADER ? "1" : `2${h}`);
  const own = [...headers].sort((a, b) => rank(a).localeCompare(rank(b)));
  const system =
    path === API_HEADER
      ? ["stddef.h", "stdint.h"]
      : ["stddef.h", "stdint.h", ...(functions.length ? ["string.h"] : [])];
  return [...system, ...(path === API_HEADER ? [] : own)];
}

export function cHeaderViews(model: ContractModel, source: string): CHeaderView[] {
  const placement = cPlacement(model);
  const headers = new Map<string, { types: TypeModel[]; constants: ConstModel[]; module: ModuleModel | null }>();
  const slot = (path: string) => {
    let h = headers.get(path);
    if (!h) headers.set(path, (h = { types: [], constants: [], module: null }));
    return h;
  };
  slot(API_HEADER).module = model.modules.find((m) => m.name === PREVIEW1) ?? null;
  for (const t of model.types) slot(placement.typeHeader.get(t.name)!).types.push(t);
  for (const c of model.constants) slot(placement.constHeader.get(c.name)!).constants.push(c);
  for (const m of model.modules) if (m.name !== PREVIEW1) slot(`${m.name}.h`).module = m;

  return [...headers.entries()].map(([path, h]) => {
    const moduleName = h.module?.name ?? "";
    const functions = h.module?.functions ?? [];
    const doc =
      path === API_HEADER
        ? [
            "<wasi/api.h>: the WASI preview1 types, constants and functions, as wasi-libc names them.",
            "",
            ...cDocLines(h.module?.docs),
          ]
        : path === COMMON_HEADER
          ? ["Types and constants shared by the extension modules."]
          : path === COMMAND_HEADER
            ? ["Constants of the command invocation contract.", "", ...cDocLines(model.command?.docs)]
            : [
                `The \`${moduleName}\` import module: raw imports and typed wrappers.`,
                "",
                ...cDocLines(h.module?.docs),
              ];
    return {
      banner: cBanner(model, source),
      path,
      guard: path === API_HEADER ? "__wasi_api_h" : `__abic_${path.replace(/^abic\//, "").replace(/\W/g, "_")}`,
      doc,
      isApi: path === API_HEADER,
      includes: headerIncludes(model, path, placement, h.types, h.constants, functions),
      versionMacros: path === API_HEADER || path === COMMON_HEADER ? versionMacros(model) : [],
      feature: h.module?.unstable ? cFeatureMacro(h.module.unstable) : null,
      types: orderTypes(model, h.types).map((t) => cTypeView(model, t)),
      constants: h.constants.map((c) => cConstView(model, c)),
      moduleName,
      functions: functions.map((fn) => cFunctionView(model, moduleName, fn)),
    };
  });
}

export const cTarget: Target = {
  name: "c",
  async generate(model, ctx): Promise<GeneratedFile[]> {
    return cHeaderViews(model, ctx.source).map((view) => ({
      path: `c/${view.path}`,
      content: formatC(renderTemplate("c/header.h.hbs", view)),
    }));
  },
};
