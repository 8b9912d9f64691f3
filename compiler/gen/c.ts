// The C target: generated/c/wasi/api.h (a drop-in for wasi-libc's preview1 header), one header
// per extension module, and the shared headers they include. Every C name, type spelling,
// ordering and lowering decision is made here; templates/c/*.hbs only lay the text out.
//
// Names and type spellings come from lang/c.ts.
//
// Files: top-level types reachable from preview1 functions, or from no extension function at
// all (e.g. `dirent`, which wasi-libc's readdir uses but no import mentions), go in wasi/api.h;
// top-level types only extension modules use go in abic/common.h; module-scoped items go in
// `<module>.h`; command-block constants in abic/command.h. Top-level constants follow their
// named type, and primitive-typed ones go in abic/common.h.

import type { ConstModel, ContractModel, FunctionModel, ModuleModel, PrimitiveName, TypeModel, TypeRef } from "../model.ts";
import { flagBit } from "../idl-text.ts";
import {
  cConstMacro,
  cDeclaration,
  cFeatureMacro,
  cFunctionName,
  cIdentifier,
  cImportName,
  cIncludeGuard,
  cStringLiteral,
  cMemberMacro,
  coreCType,
  cParams,
  cReturnType,
  cType,
  cTypeName,
  cUnionName,
  PREVIEW1,
  PRIMITIVE_C,
  type CParam,
} from "../lang/c.ts";
import { exhaustive, functionRefs, ModelQuery, typeRefs } from "../query.ts";
import { cBanner } from "./banner.ts";
import { formatC } from "./format.ts";
import { renderTemplate } from "./render.ts";
import type { GeneratedFile, Target } from "./target.ts";

export { PREVIEW1 } from "../lang/c.ts";
export const API_HEADER = "wasi/api.h";
export const COMMON_HEADER = "abic/common.h";
export const COMMAND_HEADER = "abic/command.h";

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** The `<stdint.h>` constant macro for an integer representation, or null (bool, handle, floats). */
function intConstantMacro(p: PrimitiveName): string | null {
  if (/^u(8|16|32|64)$/.test(p)) return `UINT${p.slice(1)}_C`;
  if (/^s(8|16|32|64)$/.test(p)) return `INT${p.slice(1)}_C`;
  if (p === "usize") return "UINT32_C";
  if (p === "handle") return "INT32_C";
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
  const macro = intConstantMacro(repr) ?? "UINT64_C";
  const bit = flagBit(value);
  if (bit !== null) return `((${cName})(${macro}(1) << ${bit}))`;
  return `((${cName})(${macro}(0x${BigInt(value).toString(16)})))`;
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
    // Control characters (a NUL among them) are shown, not written: compilers warn about them.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
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
    lines.push(...cDocLines(`@deprecated Since ${d.since}${how ? `: ${how}` : ""}.`));
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
  /** Structs used through a pointer before their definition: declared ahead (`typedef struct X X;`). */
  forward: string[];
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

function reachableFrom(q: ModelQuery, modules: ModuleModel[]): Set<string> {
  return q.reachable(modules.flatMap((m) => m.functions.flatMap(functionRefs)));
}

export function cPlacement(q: ModelQuery): CPlacement {
  const { model } = q;
  const preview1 = reachableFrom(q, model.modules.filter((m) => m.name === PREVIEW1));
  const extensions = reachableFrom(q, model.modules.filter((m) => m.name !== PREVIEW1));
  const api = q.reachable(
    model.types.filter((t) => t.scope === null && (preview1.has(t.name) || !extensions.has(t.name))).map((t) => ({ kind: "named", name: t.name }) as const),
  );
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

export function cTypeView(q: ModelQuery, t: TypeModel): CTypeView {
  const name = cTypeName(q, t.name);
  const doc = [...cDocLines(t.docs), ...gateDocLines(t, null)];
  const view = emptyType(doc, name, t.unstable);
  view.feature = t.unstable ? cFeatureMacro(t.unstable) : null;
  view.asserts = sizeAsserts(name, t.size, t.align);
  switch (t.kind) {
    case "alias":
      view.isTypedef = true;
      // wasi-libc spells the pointer-sized alias with the compiler's own macro.
      view.target = t.target.kind === "primitive" && t.target.name === "usize" ? "__SIZE_TYPE__" : cType(q, t.target);
      break;
    case "enum":
    case "flags":
      view.isTypedef = true;
      view.target = PRIMITIVE_C[t.repr];
      view.members = t.members.map((m) => ({
        doc: cDocLines(m.docs),
        name: cMemberMacro(t, m.name),
        value: t.kind === "enum" ? cIntegerLiteral(t.repr, m.value) : flagLiteral(name, t.repr, m.value),
      }));
      break;
    case "struct":
      view.isStruct = true;
      view.fields = t.fields.map((f) => ({
        doc: cDocLines(f.docs),
        decl: cDeclaration(cType(q, f.type), cIdentifier(f.name)),
      }));
      view.asserts.push(...t.fields.map((f) => offsetAssert(name, cIdentifier(f.name), f.offset)));
      break;
    case "variant": {
      view.isVariant = true;
      view.tagType = PRIMITIVE_C[q.typeOfKind(t.tag, "enum").repr];
      view.unionName = cUnionName(q, t.name);
      view.cases = t.cases.flatMap((c) =>
        c.payload === null ? [] : [{ doc: cDocLines(c.docs), decl: cDeclaration(cType(q, c.payload), cIdentifier(c.name)) }],
      );
      view.hasUnion = view.cases.length > 0;
      view.asserts.push(offsetAssert(name, "tag", 0));
      if (view.hasUnion) view.asserts.push(offsetAssert(name, "u", t.payloadOffset));
      break;
    }
    default:
      exhaustive(t);
  }
  return view;
}

export function cConstView(q: ModelQuery, c: ConstModel): CConstView {
  const repr = q.scalarOf(c.type);
  if (!repr || c.type.kind === "ptr") throw new Error(`C target: constant \`${c.name}\` has a non-integer type`);
  return {
    doc: [...cDocLines(c.docs), ...gateDocLines(c, null)],
    name: cConstMacro(c),
    value: cIntegerLiteral(repr, c.value),
    feature: c.unstable ? cFeatureMacro(c.unstable) : null,
  };
}

/** The C name a deprecation's `use = X` points at (`X` or `module.X`). */
function replacementName(q: ModelQuery, module: string, use: string | null): string | null {
  if (!use) return null;
  const target = q.findFunction(module, use);
  return target ? cFunctionName(target.module.name, target.fn) : use;
}

function functionAttributes(q: ModelQuery, module: string, fn: FunctionModel): string[] {
  const attributes: string[] = [];
  if (fn.result.kind === "scalar" || fn.result.kind === "expected") attributes.push("__attribute__((__warn_unused_result__))");
  if (fn.deprecated) {
    const use = replacementName(q, module, fn.deprecated.use);
    const message = [use ? `use ${use}` : null, fn.deprecated.note].filter(Boolean).join(": ");
    attributes.push(`__attribute__((__deprecated__(${cStringLiteral(message)})))`);
  }
  return attributes;
}

function functionDoc(q: ModelQuery, module: string, fn: FunctionModel): string[] {
  const lines = cDocLines(fn.docs);
  // Reasons, compat and deviation notes are contract text: escaped like any doc line.
  if (fn.status.kind === "refused")
    lines.push(...cDocLines(`The runtime refuses to link this function (${fn.status.reason}): a guest that imports it fails to instantiate.`));
  if (fn.status.kind === "stubbed") lines.push(`The runtime links this function, but it always returns \`${fn.status.errno}\`.`);
  if (fn.compat) lines.push(...cDocLines(`Compat: ${fn.compat}`));
  if (fn.deviation) lines.push(...cDocLines(`Deviation: ${fn.deviation}`));
  lines.push(...gateDocLines(fn, replacementName(q, module, fn.deprecated?.use ?? null)));
  if (fn.resultDocs.trim()) lines.push("@return", ...cDocLines(fn.resultDocs));
  return lines;
}

function wrapperBody(q: ModelQuery, module: string, fn: FunctionModel, lowered: CParam[]): string[] {
  const args = lowered.flatMap((p) => p.args);
  // The template indents every body line once more.
  const call = `${cImportName(module, fn)}(${args.length ? "\n    " + args.join(",\n    ") + "\n" : ""})`;
  switch (fn.result.kind) {
    case "none":
    case "noreturn":
      return [`${call};`];
    case "scalar":
    case "expected": {
      const result = fn.core.results[0];
      if (fn.core.results.length !== 1 || result === undefined)
        throw new Error(`C target: \`${module}.${fn.name}\` has ${fn.core.results.length} core results`);
      return [`${coreCType(result)} ret = ${call};`, `return (${cReturnType(q, fn)}) ret;`];
    }
    default:
      return exhaustive(fn.result, "result kind");
  }
}

export function cFunctionView(q: ModelQuery, module: string, fn: FunctionModel): CFunctionView {
  const lowered = cParams(q, fn);
  const params: CParamView[] = lowered.length
    ? lowered.map((p, i) => ({ doc: cDocLines(p.doc), decl: p.decl, sep: i < lowered.length - 1 ? "," : "" }))
    : [{ doc: [], decl: "void", sep: "" }];
  const extension = module !== PREVIEW1;
  return {
    doc: functionDoc(q, module, fn),
    feature: fn.unstable ? cFeatureMacro(fn.unstable) : null,
    name: cFunctionName(module, fn),
    returnType: cReturnType(q, fn),
    params,
    attributes: functionAttributes(q, module, fn),
    importName: extension ? cImportName(module, fn) : "",
    importReturnType: fn.result.kind === "noreturn" ? "_Noreturn void" : fn.core.results[0] ? coreCType(fn.core.results[0]) : "void",
    importParams: fn.core.params.length ? fn.core.params.map((t, i) => `${coreCType(t)} arg${i}`) : ["void"],
    importAttribute: `__attribute__((__import_module__(${JSON.stringify(fn.import.module)}), __import_name__(${JSON.stringify(fn.import.name)})))`,
    body: extension ? wrapperBody(q, module, fn, lowered) : [],
  };
}

const BOOL = /\bbool\b/;

/**
 * Whether the word `bool` appears in the views' JSON text (a key or a string, as JSON writes it),
 * without writing the JSON out: on a large contract the headers' views are megabytes of it.
 */
export function spellsBool(value: unknown): boolean {
  if (typeof value === "string") return value.includes("bool") && BOOL.test(JSON.stringify(value));
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (spellsBool(v)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const v = record[key];
    // JSON leaves out what is undefined or a function, and its key.
    if (v !== undefined && typeof v !== "function" && (spellsBool(key) || spellsBool(v))) return true;
  }
  return false;
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

/**
 * The order C needs: a type after every type it holds by value or names as a typedef (aliases,
 * enums and flags are typedefs; pointers to them need them first). A struct or variant reached
 * only through a pointer may come later: it is declared ahead instead, which also breaks the
 * cycles pointers allow (`a` points to `b`, `b` holds `a`).
 */
function cTypeOrder(q: ModelQuery, types: readonly TypeModel[]): { ordered: TypeModel[]; forward: string[] } {
  const inHeader = new Map(types.map((t) => [t.name, t]));
  const isRecord = (t: TypeModel): boolean => t.kind === "struct" || t.kind === "variant";
  /** The named types `ref` needs, and whether each is only behind a pointer. */
  const needs = (ref: TypeRef, behindPointer: boolean, out: { name: string; pointer: boolean }[]): void => {
    if (ref.kind === "named") out.push({ name: ref.name, pointer: behindPointer });
    else if (ref.kind === "ptr") needs(ref.to, true, out);
    else if (ref.kind === "list" || ref.kind === "buffer") needs(ref.of, true, out);
  };
  const refsOf = (t: TypeModel) => {
    const out: { name: string; pointer: boolean }[] = [];
    for (const r of typeRefs(t)) needs(r, false, out);
    return out;
  };
  const order = q.dependencyOrder(types, (t) => {
    const out = new Set<TypeModel>();
    for (const r of refsOf(t)) {
      const d = inHeader.get(r.name);
      if (d && !(r.pointer && isRecord(d))) out.add(d);
    }
    return [...out];
  });
  const defined = new Set<string>();
  const forward: string[] = [];
  for (const t of order) {
    for (const r of refsOf(t)) {
      const d = inHeader.get(r.name);
      if (d && r.pointer && isRecord(d) && !defined.has(d.name) && !forward.includes(cTypeName(q, d.name))) forward.push(cTypeName(q, d.name));
    }
    defined.add(t.name);
  }
  return { ordered: order, forward };
}

function headerIncludes(
  q: ModelQuery,
  path: string,
  placement: CPlacement,
  types: TypeModel[],
  constants: ConstModel[],
  functions: FunctionModel[],
): string[] {
  const refs = q.reachable([
    ...types.map((t) => ({ kind: "named", name: t.name }) as const),
    ...constants.map((c) => c.type),
    ...functions.flatMap(functionRefs),
  ]);
  const headers = new Set<string>();
  for (const r of refs) headers.add(placement.typeHeader.get(r)!);
  headers.add(API_HEADER);
  headers.delete(path);
  const rank = (h: string): string => (h === API_HEADER ? "0" : h === COMMON_HEADER ? "1" : `2${h}`);
  const own = [...headers].sort((a, b) => rank(a).localeCompare(rank(b)));
  const system = path === API_HEADER ? ["stddef.h", "stdint.h"] : ["stddef.h", "stdint.h", ...(functions.length ? ["string.h"] : [])];
  return [...system, ...(path === API_HEADER ? [] : own)];
}

export function cHeaderViews(model: ContractModel, source: string): CHeaderView[] {
  return cHeaderViewsEach(model, source, (v) => v);
}

/**
 * Each header's view handed to `use` as soon as it is made (rendering it at once lets the view
 * go before the next is made: less memory for a contract of thousands of functions).
 */
function cHeaderViewsEach<T>(model: ContractModel, source: string, use: (view: CHeaderView) => T): T[] {
  const q = new ModelQuery(model);
  const placement = cPlacement(q);
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
        ? ["<wasi/api.h>: the WASI preview1 types, constants and functions, as wasi-libc names them.", "", ...cDocLines(h.module?.docs)]
        : path === COMMON_HEADER
          ? ["Types and constants shared by the extension modules."]
          : path === COMMAND_HEADER
            ? ["Constants of the command invocation contract.", "", ...cDocLines(model.command?.docs)]
            : [`The \`${moduleName}\` import module: raw imports and typed wrappers.`, "", ...cDocLines(h.module?.docs)];
    const { ordered, forward } = cTypeOrder(q, h.types);
    const types = ordered.map((t) => cTypeView(q, t));
    const constants = h.constants.map((c) => cConstView(q, c));
    const functionViews = functions.map((fn) => cFunctionView(q, moduleName, fn));
    // <stdbool.h> where a declaration spells `bool` (a doc mentioning it only costs an include).
    const usesBool = spellsBool([types, constants, functionViews]);
    const includes = headerIncludes(q, path, placement, h.types, h.constants, functions);
    if (usesBool) includes.splice(includes.indexOf("stdint.h") + 1, 0, "stdbool.h");
    return use({
      banner: cBanner(model, source),
      path,
      guard: cIncludeGuard(path, h.module !== null && path !== API_HEADER),
      doc,
      isApi: path === API_HEADER,
      includes,
      versionMacros: path === API_HEADER || path === COMMON_HEADER ? versionMacros(model) : [],
      forward,
      feature: h.module?.unstable ? cFeatureMacro(h.module.unstable) : null,
      // C needs a typedef before its use.
      types,
      constants,
      moduleName,
      functions: functionViews,
    });
  });
}

export const cTarget: Target = {
  name: "c",
  async generate(model, ctx): Promise<GeneratedFile[]> {
    return cHeaderViewsEach(model, ctx.source, (view) => ({
      path: `c/${view.path}`,
      content: formatC(renderTemplate("c/header.h.hbs", view)),
    }));
  },
};
