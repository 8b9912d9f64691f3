// The Rust target: generated/rust/, one `#![no_std]` crate named after the contract's package,
// for Rust guests. Every Rust name, type spelling, lowering and line-breaking decision is made
// here in a typed view model; templates/rust/*.hbs only lay the text out.
//
// Conventions (those of the `wasi` crate 0.11, which Rust WASI authors know):
// - Top-level types and constants live in `src/types.rs`, re-exported at the crate root; an item
//   declared in module `M` (or in the command block) lives in `src/M.rs` (`src/command.rs`).
// - Enums and flags are `#[repr(transparent)]` newtypes over their representation, with module
//   constants `TYPE_MEMBER` (`ERRNO_BADF`, `FDFLAGS_APPEND`); aliases and handles are type
//   aliases; structs are `#[repr(C)]`; a variant is a `#[repr(C)]` struct of its raw tag and a
//   `#[repr(C)]` union `NameU` of its payloads. Layout assertions compare every size, alignment and
//   offset with the model's numbers at compile time (on wasm32, where the model's layout applies).
// - Each import module `M` has `M::raw`, its imports with their core wasm signatures, and typed
//   wrappers `pub unsafe fn f(...) -> Result<T, Errno>`: strings as `&str`, lists as `&[T]`,
//   buffers as `&mut [T]`, out-values returned (a tuple when there are several).
// - `@unstable(x)` items are behind the Cargo feature `x`; deprecated items carry `#[deprecated]`.
//
// Layouts and core signatures come from the checked model; nothing is recomputed here. Lookups
// and walks come from the model-query core (query.ts), names and spellings from lang/rust.ts.

import type {
  CaseModel,
  ConstModel,
  ContractModel,
  CoreType,
  Deprecation,
  FieldModel,
  FunctionModel,
  Gate,
  ModuleModel,
  PrimitiveName,
  TypeModel,
  TypeRef,
} from "../model.ts";
import {
  CORE_RUST,
  PRIMITIVE_RUST,
  rustConstName,
  rustCrateName,
  rustIdent,
  rustMemberConst,
  rustSignature,
  rustTypeName,
  Spelling,
  symbolOf,
  TYPES_MODULE,
} from "../lang/rust.ts";
import { exhaustive, functionRefs, ModelQuery, namedIn, typeRefs } from "../query.ts";
import { lineBanner } from "./banner.ts";
import { formatRust } from "./format.ts";
import type { GeneratedFile, GenContext, Target } from "./target.ts";

import { renderTemplate } from "./render.ts";

export { rustConstName, rustCrateName, rustIdent, rustMemberConst, rustModuleOf, rustTypeName, TYPES_MODULE } from "../lang/rust.ts";

/** The folder of generated/ the crate is written to. */
export const RUST_DIR = "rust";
/** The module of the command block's constants. */
export const COMMAND_MODULE = "command";
/** The crate's own Cargo feature for the `std` integration (`std::error::Error` for errors). */
export const STD_FEATURE = "std";

// rustfmt's defaults, which the generated text keeps so `rustfmt --check` leaves it unchanged.
const MAX_WIDTH = 100;
/** rustfmt `fn_call_width`: the widest argument list a call keeps on one line. */
const FN_CALL_WIDTH = 60;
/** rustfmt `attr_fn_like_width`: the same for the arguments of an attribute. */
const ATTR_FN_LIKE_WIDTH = 70;
const INDENT = "    ";

// ---------------------------------------------------------------------------------------------
// What the Rust spelling needs to know of a type
// ---------------------------------------------------------------------------------------------

function typeByName(model: ContractModel, name: string): TypeModel {
  return ModelQuery.of(model).type(name);
}

/** What a type reference stands for once aliases are followed. */
type Resolved =
  | { kind: "primitive"; name: PrimitiveName }
  | { kind: "newtype"; type: TypeModel & { kind: "enum" | "flags" } }
  | { kind: "aggregate"; type: TypeModel & { kind: "struct" | "variant" } }
  | { kind: "pointer" }
  | { kind: "sequence" };

function resolve(model: ContractModel, t: TypeRef): Resolved {
  const r = ModelQuery.of(model).dealias(t);
  switch (r.kind) {
    case "primitive":
      return { kind: "primitive", name: r.name };
    case "ptr":
      return { kind: "pointer" };
    case "string":
    case "list":
    case "buffer":
      return { kind: "sequence" };
    case "named": {
      const named = ModelQuery.of(model).definition(r)!;
      switch (named.kind) {
        case "enum":
        case "flags":
          return { kind: "newtype", type: named };
        case "struct":
        case "variant":
          return { kind: "aggregate", type: named };
        default:
          return exhaustive(named);
      }
    }
    default:
      return exhaustive(r, "type reference");
  }
}

/** Named types a reference mentions directly (through pointers and sequences, not through fields). */
function directNames(t: TypeRef, into: Set<string>): void {
  const name = namedIn(t);
  if (name !== null) into.add(name);
}

/** True when a value of the type can be printed with a derived `Debug` (no union inside). */
function derivesDebug(model: ContractModel, t: TypeRef, seen = new Set<string>()): boolean {
  const name = t.kind === "named" ? t.name : null;
  if (name === null || seen.has(name)) return true;
  seen.add(name);
  const named = typeByName(model, name);
  switch (named.kind) {
    case "variant":
      return false;
    case "alias":
      return derivesDebug(model, named.target, seen);
    case "struct":
      return named.fields.every((f) => derivesDebug(model, f.type, seen));
    case "enum":
    case "flags":
      return true;
    default:
      return exhaustive(named);
  }
}

/**
 * The path from a value of type `t` to its first scalar (a field of a field, ..., a variant's tag,
 * a union's first payload) and that scalar's type: the scalar starts the value's bytes.
 */
function firstScalar(model: ContractModel, t: TypeRef): { path: string[]; type: TypeRef } {
  const r = resolve(model, t);
  if (r.kind !== "aggregate") return { path: [], type: t };
  if (r.type.kind === "struct") {
    const f = r.type.fields[0];
    if (!f) throw new Error(`Rust target: struct \`${r.type.name}\` has no fields`);
    const inner = firstScalar(model, f.type);
    return { path: [rustIdent(f.name), ...inner.path], type: inner.type };
  }
  const tag = typeByName(model, r.type.tag);
  if (tag.kind !== "enum") throw new Error(`Rust target: variant \`${r.type.name}\` has a tag that is not an enum`);
  return { path: ["tag"], type: { kind: "primitive", name: tag.repr } };
}

/** Enums used as the error of some `result<T, E>`: they get `Display` and `std::error::Error`. */
function errorEnums(model: ContractModel): Set<string> {
  const errors = new Set<string>();
  for (const m of model.modules)
    for (const fn of m.functions) if (fn.result.kind === "expected") errors.add(fn.result.error);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** Every name a Rust module declares, so two declarations never collide. */
class NameRegistry {
  private readonly owners = new Map<string, string>();
  constructor(private readonly module: string) {}
  claim(name: string, owner: string): string {
    const previous = this.owners.get(name);
    if (previous !== undefined)
      throw new Error(`Rust target: \`${this.module}::${name}\` is generated for both ${previous} and ${owner}`);
    this.owners.set(name, owner);
    return name;
  }
}

// ---------------------------------------------------------------------------------------------
// Type spellings
// ---------------------------------------------------------------------------------------------

/** The integer a newtype wraps. */
function reprOf(t: TypeModel & { kind: "enum" | "flags" }): string {
  return PRIMITIVE_RUST[t.repr];
}

// ---------------------------------------------------------------------------------------------
// Literals and doc comments
// ---------------------------------------------------------------------------------------------

const INTEGER_BITS: Partial<Record<string, number>> = { i8: 8, i16: 16, i32: 32, i64: 64 };

/** A decimal literal of an integer Rust type; a signed minimum is spelled `iN::MIN`. */
export function rustIntegerLiteral(rustType: string, value: number | string): string {
  const v = BigInt(value);
  const bits = INTEGER_BITS[rustType];
  if (bits !== undefined && v === -(1n << BigInt(bits - 1))) return `${rustType}::MIN`;
  if (rustType === "bool") return v === 0n ? "false" : "true";
  return String(v);
}

/** `1 << 3` for one bit, the hex mask for several, `0` for none. */
export function rustFlagLiteral(value: number | string): string {
  const v = BigInt(value);
  if (v === 0n) return "0";
  if ((v & (v - 1n)) === 0n) return `1 << ${v.toString(2).length - 1}`;
  return `0x${v.toString(16)}`;
}

/** A Rust string literal. */
export function rustString(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `"${out}"`;
}

/**
 * Doc text as comment lines (without the `///`), trailing blanks removed. Brackets outside code
 * spans that are not Markdown links (`argv[0]`) are escaped, or rustdoc reads them as links.
 */
export function rustDocLines(...parts: (string | null | undefined)[]): string[] {
  const text = parts
    .filter((p): p is string => !!p && p.trim() !== "")
    .map((p) => p.trim())
    .join("\n\n");
  if (!text) return [];
  return text.split("\n").map((l) =>
    l
      .replace(/\s+$/, "")
      // Control characters are shown, not written (rustdoc rejects a bare carriage return).
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
      .split("`")
      .map((part, i) => (i % 2 === 1 ? part : part.replace(/\[([^\]]*)\](?![(\[])/g, "\\[$1\\]")))
      .join("`"),
  );
}

/** The doc text of a member on one line, for `message()`. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// Gates: Cargo features and deprecations
// ---------------------------------------------------------------------------------------------

/** `#[cfg(feature = "a")]`, or `all(...)`/`any(...)` forms; null when no feature is needed. */
export function cfgAttribute(features: string[][]): string | null {
  const all = (fs: string[]): string =>
    fs.length === 1 ? `feature = ${rustString(fs[0])}` : `all(${fs.map((f) => `feature = ${rustString(f)}`).join(", ")})`;
  const alternatives = features.map((fs) => [...new Set(fs)].sort());
  if (alternatives.length === 0 || alternatives.some((fs) => fs.length === 0)) return null;
  const unique = [...new Map(alternatives.map((fs) => [fs.join(","), fs])).values()];
  const condition = unique.length === 1 ? all(unique[0]) : `any(${unique.map(all).join(", ")})`;
  return `#[cfg(${condition})]`;
}

/** The Cargo features an item needs: its own gate and those of the named types it mentions. */
function featuresOf(model: ContractModel, item: Gate, refs: TypeRef[]): string[] {
  const features = new Set<string>();
  if (item.unstable) features.add(item.unstable);
  const names = new Set<string>();
  for (const r of refs) directNames(r, names);
  for (const n of names) {
    const t = typeByName(model, n);
    if (t.unstable) features.add(t.unstable);
  }
  return [...features].sort();
}

/** `#[deprecated(since = "...", note = "...")]`, laid out as rustfmt lays out attributes. */
function deprecatedAttribute(d: Deprecation | null, replacement: string | null): string | null {
  if (!d) return null;
  const note = [replacement ? `use \`${replacement}\`` : null, d.note].filter(Boolean).join("; ");
  const args = [`since = ${rustString(d.since)}`, ...(note ? [`note = ${rustString(note)}`] : [])];
  return attributeLines("deprecated", args).join("\n");
}

function gateDocLines(item: Gate): string[] {
  if (!item.unstable) return [];
  return [`Unstable: available with the \`${item.unstable}\` Cargo feature.`];
}

// ---------------------------------------------------------------------------------------------
// Line layout, as rustfmt leaves it
// ---------------------------------------------------------------------------------------------

/**
 * `head(args)tail` on one line when the arguments fit rustfmt's call width and the line fits,
 * else one argument per line with a trailing comma. `indent` is the line's indentation.
 */
export function callLines(indent: string, head: string, args: string[], tail: string): string[] {
  const joined = args.join(", ");
  const one = `${indent}${head}(${joined})${tail}`;
  if (joined.length <= FN_CALL_WIDTH && one.length <= MAX_WIDTH) return [one];
  return [`${indent}${head}(`, ...args.map((a) => `${indent}${INDENT}${a},`), `${indent})${tail}`];
}

/** An attribute `#[name(args)]` as rustfmt lays it out: `attr_fn_like_width`, no trailing comma. */
export function attributeLines(name: string, args: string[]): string[] {
  const joined = args.join(", ");
  const one = `#[${name}(${joined})]`;
  if (joined.length <= ATTR_FN_LIKE_WIDTH && one.length <= MAX_WIDTH) return [one];
  return [`#[${name}(`, ...args.map((a, i) => `${INDENT}${a}${i < args.length - 1 ? "," : ""}`), ")]"];
}

/** A function with a body: the signature on one line when it fits, else one parameter per line. */
export function signatureLines(indent: string, head: string, params: string[], ret: string): string[] {
  const one = `${indent}${head}(${params.join(", ")})${ret} {`;
  if (one.length <= MAX_WIDTH || params.length === 0) return [one];
  return [`${indent}${head}(`, ...params.map((p) => `${indent}${INDENT}${p},`), `${indent})${ret} {`];
}

/**
 * A foreign function declaration, as rustfmt lays it out: one line up to 99 columns when it has a
 * return type (100 without), the return type alone on the next line at exactly 100, else one
 * parameter per line.
 */
export function declarationLines(indent: string, head: string, params: string[], ret: string): string[] {
  const open = `${indent}${head}(${params.join(", ")})`;
  const one = `${open}${ret};`;
  if (params.length === 0 || one.length <= MAX_WIDTH - (ret ? 1 : 0)) return [one];
  if (ret && one.length === MAX_WIDTH) return [open, `${indent}${INDENT}${ret.trim()};`];
  return [`${indent}${head}(`, ...params.map((p) => `${indent}${INDENT}${p},`), `${indent})${ret};`];
}

/** `pub const NAME: T = value;`, the value on the next line when the line would be too wide. */
function constLines(name: string, type: string, value: string): string[] {
  const one = `pub const ${name}: ${type} = ${value};`;
  return one.length <= MAX_WIDTH ? [one] : [`pub const ${name}: ${type} =`, `${INDENT}${value};`];
}

// ---------------------------------------------------------------------------------------------
// View model
// ---------------------------------------------------------------------------------------------

export interface RustConstView {
  doc: string[];
  /** `#[cfg]`/`#[deprecated]` attributes, in order. */
  attrs: string[];
  /** The whole declaration line(s): `pub const ERRNO_BADF: Errno = Errno::from_raw(8);`. */
  lines: string[];
}

export interface RustFieldView {
  doc: string[];
  /** `pub buf_len: Size` */
  decl: string;
}

export interface RustArmView {
  /** The match arm line(s), already laid out. */
  lines: string[];
}

export interface RustTypeView {
  doc: string[];
  /** The type's own attributes: its `#[cfg]` and `#[deprecated]`. */
  attrs: string[];
  /** The `#[cfg]` every item belonging to the type repeats (impls, constants, checks). */
  cfg: string[];
  name: string;
  isAlias: boolean;
  /** alias target */
  target: string;
  isNewtype: boolean;
  isEnum: boolean;
  isFlags: boolean;
  /** The newtype's integer. */
  repr: string;
  /** enum/flags members as module constants. */
  members: RustConstView[];
  /** A member name for the docs of `name()`. */
  exampleName: string;
  /** `name()` and `message()` match arms of an enum. */
  nameArms: RustArmView[];
  messageArms: RustArmView[];
  /** flags: `(name, bits)` entries of `Debug`. */
  flagNames: string[];
  /** An error enum: `Display` and, with `std`, `std::error::Error`. */
  isError: boolean;
  isStruct: boolean;
  /** `#[derive(...)]` of the struct or the variant's struct. */
  derive: string;
  fields: RustFieldView[];
  isVariant: boolean;
  /** The Rust type of the variant's tag enum. */
  tagName: string;
  unionName: string;
  unionDoc: string[];
  cases: RustFieldView[];
  hasUnion: boolean;
  /** The body lines of the `assert_layout!` invocation (the model's numbers). */
  layout: string[];
}

export interface RustParamView {
  name: string;
  type: string;
}

export interface RustFunctionView {
  doc: string[];
  /** `#[cfg]`, `#[deprecated]`, `#[must_use]`, `#[inline]`, in order. */
  attrs: string[];
  /** Signature lines of the wrapper, ending in `{`. */
  signature: string[];
  /** Body lines, indented once. */
  body: string[];
  /** The one-line Rust signature for the docs (no body, no attributes). */
  prototype: string;
}

export interface RustRawImportView {
  /** `#[cfg]` and `#[link_name]` attributes. */
  attrs: string[];
  lines: string[];
}

export interface RustFileView {
  banner: string;
  /** Path relative to the crate folder (`src/types.rs`). */
  path: string;
  doc: string[];
  /** `use` lines, with their `#[cfg]` when they are needed only by gated items. */
  uses: string[];
  types: RustTypeView[];
  constants: RustConstView[];
  functions: RustFunctionView[];
  /** The wasm import module of `raw`, or "" when the file has no imports. */
  importModule: string;
  rawImports: RustRawImportView[];
}

/** A `pub mod` of lib.rs; its docs are the module file's own `//!` lines. */
export interface RustModuleDeclView {
  attrs: string[];
  name: string;
  /** `pub use types::*;` for the module whose items are re-exported at the root. */
  reexport: boolean;
}

export interface RustLibView {
  banner: string;
  doc: string[];
  crateName: string;
  /** A feature or none, for the dependency example of the crate docs. */
  exampleFeatures: string[];
  version: string;
  modules: RustModuleDeclView[];
}

export interface RustCargoView {
  banner: string;
  name: string;
  version: string;
  description: string;
  features: { name: string; doc: string }[];
  stdFeature: string;
}

export interface RustCrateView {
  cargo: RustCargoView;
  lib: RustLibView;
  macros: { banner: string };
  files: RustFileView[];
}

/** The Cargo features of the crate: every `@unstable` gate of the contract, sorted. */
export function rustFeatures(model: ContractModel): string[] {
  const items: Gate[] = [...model.types, ...model.constants, ...model.modules, ...model.modules.flatMap((m) => m.functions)];
  if (model.command) items.push(model.command);
  const features = [...new Set(items.map((i) => i.unstable).filter((f): f is string => f !== null))].sort();
  for (const f of features) {
    if (f === STD_FEATURE || f === "default")
      throw new Error(`Rust target: the feature gate \`${f}\` collides with the crate's own \`${f}\` Cargo feature`);
  }
  return features;
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

function memberConstView(
  type: TypeModel & { kind: "enum" | "flags" },
  m: { name: string; value: number | string; docs: string },
  gates: string[],
  names: NameRegistry,
): RustConstView {
  const name = names.claim(rustMemberConst(type.name, m.name), `${type.name}.${m.name}`);
  const ty = rustTypeName(type.name);
  const value = type.kind === "flags" ? rustFlagLiteral(m.value) : rustIntegerLiteral(reprOf(type), m.value);
  return { doc: rustDocLines(m.docs), attrs: gates, lines: constLines(name, ty, `${ty}::from_raw(${value})`) };
}

/** A match arm `value => "text",`: rustfmt never breaks an arm whose body is a string literal. */
function armLines(indent: string, pattern: string, body: string): string[] {
  return [`${indent}${pattern} => ${body},`];
}

function typeView(
  model: ContractModel,
  t: TypeModel,
  spell: Spelling,
  names: NameRegistry,
  errors: Set<string>,
): RustTypeView {
  const name = names.claim(rustTypeName(t.name), `type ${t.name}`);
  const cfg = cfgAttribute([featuresOf(model, t, t.kind === "alias" ? [t.target] : [])]);
  const deprecated = deprecatedAttribute(t.deprecated, t.deprecated?.use ?? null);
  const gates = [cfg, deprecated].filter((a): a is string => !!a);
  const view: RustTypeView = {
    doc: [...rustDocLines(t.docs), ...(t.unstable ? ["", ...gateDocLines(t)] : [])],
    attrs: gates,
    cfg: cfg ? [cfg] : [],
    name,
    isAlias: false,
    target: "",
    isNewtype: false,
    isEnum: false,
    isFlags: false,
    repr: "",
    members: [],
    exampleName: "",
    nameArms: [],
    messageArms: [],
    flagNames: [],
    isError: false,
    isStruct: false,
    derive: "",
    fields: [],
    isVariant: false,
    tagName: "",
    unionName: "",
    unionDoc: [],
    cases: [],
    hasUnion: false,
    layout: [],
  };
  const layoutHead = `${name}: size ${t.size}, align ${t.align};`;
  switch (t.kind) {
    case "alias":
      view.isAlias = true;
      view.target = spell.type(t.target);
      view.layout = [layoutHead];
      break;
    case "enum":
    case "flags": {
      view.isNewtype = true;
      view.isEnum = t.kind === "enum";
      view.isFlags = t.kind === "flags";
      view.repr = reprOf(t);
      view.members = t.members.map((m) => memberConstView(t, m, gates, names));
      const arm = INDENT.repeat(3);
      if (t.kind === "enum") {
        view.exampleName = (t.members.find((m) => m.value !== 0) ?? t.members[0])?.name.toUpperCase() ?? "";
        view.isError = errors.has(t.name);
        view.nameArms = t.members.map((m) => ({
          lines: armLines(arm, rustIntegerLiteral(view.repr, m.value), rustString(m.name.toUpperCase())),
        }));
        view.messageArms = t.members.map((m) => ({
          lines: armLines(arm, rustIntegerLiteral(view.repr, m.value), rustString(oneLine(m.docs) || m.name)),
        }));
      } else {
        view.flagNames = t.members.map((m) => `(${rustString(m.name.toUpperCase())}, ${rustFlagLiteral(m.value)})`);
      }
      view.layout = [layoutHead];
      break;
    }
    case "struct":
      view.isStruct = true;
      view.derive = derivesDebug(model, { kind: "named", name: t.name }) ? "Copy, Clone, Debug" : "Copy, Clone";
      view.fields = t.fields.map((f: FieldModel) => ({
        doc: rustDocLines(f.docs),
        decl: `pub ${rustIdent(f.name)}: ${spell.type(f.type)}`,
      }));
      view.layout = [
        layoutHead,
        ...t.fields.map((f) => layoutField(model, spell, [rustIdent(f.name)], f.type, f.offset)),
      ];
      break;
    case "variant": {
      const tag = typeByName(model, t.tag);
      if (tag.kind !== "enum") throw new Error(`Rust target: variant \`${t.name}\` has a tag that is not an enum`);
      view.isVariant = true;
      view.tagName = spell.named(tag.name);
      view.derive = "Copy, Clone";
      view.repr = reprOf(tag);
      view.unionName = names.claim(`${name}U`, `the payload union of ${t.name}`);
      view.unionDoc = [`The payload of [\`${name}\`], selected by its \`tag\` (of type [\`${spell.named(tag.name)}\`]).`];
      view.cases = t.cases
        .filter((c: CaseModel) => c.payload !== null)
        .map((c) => ({ doc: rustDocLines(c.docs), decl: `pub ${rustIdent(c.name)}: ${spell.type(c.payload!)}` }));
      view.hasUnion = view.cases.length > 0;
      const firstCase = t.cases.find((c) => c.payload !== null);
      view.layout = [
        layoutHead,
        `tag at 0: ${view.repr},`,
        ...(firstCase
          ? [layoutField(model, spell, ["u", rustIdent(firstCase.name)], firstCase.payload!, t.payloadOffset)]
          : []),
      ];
      break;
    }
    default:
      exhaustive(t);
  }
  return view;
}

/** One field line of `assert_layout!`: the path to the field's first scalar, its offset and type. */
function layoutField(model: ContractModel, spell: Spelling, path: string[], type: TypeRef, offset: number): string {
  const leaf = firstScalar(model, type);
  return `${[...path, ...leaf.path].join(".")} at ${offset}: ${spell.type(leaf.type)},`;
}

function constView(model: ContractModel, c: ConstModel, spell: Spelling, names: NameRegistry): RustConstView {
  const name = names.claim(rustConstName(c.name), `const ${c.name}`);
  const ty = spell.type(c.type);
  const resolved = resolve(model, c.type);
  let value: string;
  if (resolved.kind === "primitive") value = rustIntegerLiteral(PRIMITIVE_RUST[resolved.name], c.value);
  else if (resolved.kind === "newtype") {
    const literal =
      resolved.type.kind === "flags" ? rustFlagLiteral(c.value) : rustIntegerLiteral(reprOf(resolved.type), c.value);
    value = `${spell.named(resolved.type.name)}::from_raw(${literal})`;
  } else throw new Error(`Rust target: constant \`${c.name}\` has a non-integer type`);
  const cfg = cfgAttribute([featuresOf(model, c, [c.type])]);
  const attrs = [cfg, deprecatedAttribute(c.deprecated, c.deprecated?.use ?? null)].filter((a): a is string => !!a);
  return {
    doc: [...rustDocLines(c.docs), ...(c.unstable ? ["", ...gateDocLines(c)] : [])],
    attrs,
    lines: constLines(name, ty, value),
  };
}

// ---------------------------------------------------------------------------------------------
// Functions: lowering to the core signature the model computed
// ---------------------------------------------------------------------------------------------

/** `x` converted to a core wasm value of type `core`. */
function lowerScalar(model: ContractModel, t: TypeRef, spell: Spelling, expr: string, core: CoreType): string {
  const r = resolve(model, t);
  const target = CORE_RUST[core];
  switch (r.kind) {
    case "primitive": {
      const rust = PRIMITIVE_RUST[r.name];
      return rust === target ? expr : `${expr} as ${target}`;
    }
    case "newtype":
      return reprOf(r.type) === target ? `${expr}.raw()` : `${expr}.raw() as ${target}`;
    case "pointer":
      return `${expr} as ${target}`;
    default:
      throw new Error(`Rust target: a \`${spell.type(t)}\` is not passed by value`);
  }
}

/** A core wasm result converted back to the Rust type of a scalar result. */
function liftScalar(model: ContractModel, t: TypeRef, spell: Spelling, expr: string, core: CoreType): string {
  const r = resolve(model, t);
  const from = CORE_RUST[core];
  switch (r.kind) {
    case "primitive": {
      if (r.name === "bool") return `${expr} != 0`;
      const rust = spell.type(t);
      return PRIMITIVE_RUST[r.name] === from ? expr : `${expr} as ${rust}`;
    }
    case "newtype": {
      const repr = reprOf(r.type);
      return `${spell.named(r.type.name)}::from_raw(${repr === from ? expr : `${expr} as ${repr}`})`;
    }
    case "pointer":
      return `${expr} as ${spell.type(t)}`;
    default:
      throw new Error(`Rust target: a \`${spell.type(t)}\` is not returned by value`);
  }
}

/** A local name no parameter uses. */
function freshLocal(base: string, taken: Set<string>): string {
  let name = base;
  while (taken.has(name)) name = `${name}_`;
  taken.add(name);
  return name;
}

function functionDoc(fn: FunctionModel, spell: Spelling): string[] {
  const lines = rustDocLines(fn.docs);
  const notes: string[] = [];
  if (fn.status.kind === "refused")
    notes.push(
      `The runtime refuses to link this function (${fn.status.reason}): a guest that calls it fails to instantiate.`,
    );
  if (fn.status.kind === "stubbed")
    notes.push(`The runtime links this function, but it always fails with \`${fn.status.errno}\`.`);
  if (fn.compat) notes.push(`Compat: ${fn.compat}`);
  notes.push(...gateDocLines(fn));
  for (const n of notes) lines.push(...(lines.length ? [""] : []), n);
  const params = fn.params.filter((p) => p.docs.trim());
  if (params.length) {
    lines.push("", "## Parameters", "");
    for (const p of params) {
      const [first, ...rest] = rustDocLines(p.docs);
      lines.push(`* \`${rustIdent(p.name)}\` - ${first}`, ...rest.map((l) => (l ? `  ${l}` : l)));
    }
  }
  // resultDocs joins the out-values' docs: one value keeps it, several get a line each.
  const several = fn.result.kind === "expected" && fn.result.values.length > 1;
  const result: string[] = several ? [] : rustDocLines(fn.resultDocs);
  if (fn.result.kind === "expected" && several) {
    result.push(`On success, the tuple \`(${fn.result.values.map((v) => v.name).join(", ")})\`:`, "");
    for (const v of fn.result.values) {
      const [first, ...rest] = rustDocLines(v.docs || `The \`${v.name}\` value.`);
      result.push(`* \`${v.name}\` (\`${spell.type(v.type)}\`) - ${first}`, ...rest.map((l) => (l ? `  ${l}` : l)));
    }
  }
  if (result.length) lines.push("", "## Return", "", ...result);
  while (lines[0] === "") lines.shift();
  return lines;
}

/** The Rust path of a deprecation's replacement (`use = X` or `use = module.X`). */
function replacementPath(model: ContractModel, module: string, use: string | null): string | null {
  if (!use) return null;
  const [m, f] = use.includes(".") ? use.split(".", 2) : [module, use];
  const target = model.modules.find((x) => x.name === m)?.functions.find((x) => x.name === f);
  if (!target) return use;
  return m === module ? rustIdent(f) : `crate::${rustIdent(m)}::${rustIdent(f)}`;
}

function functionView(
  model: ContractModel,
  module: ModuleModel,
  fn: FunctionModel,
  spell: Spelling,
  names: NameRegistry,
): { wrapper: RustFunctionView; raw: RustRawImportView } {
  const name = names.claim(rustIdent(fn.name), `fn ${fn.name}`);
  const taken = new Set(fn.params.map((p) => rustIdent(p.name)));
  // The signature is the one the docs show (lang/rust.ts); the body lowers to the core call.
  const { params, returnType } = rustSignature(ModelQuery.of(model), fn, spell);
  const args: string[] = [];
  const setup: string[] = [];
  for (const p of fn.params) {
    const pname = rustIdent(p.name);
    switch (p.type.kind) {
      case "string":
      case "list":
        args.push(`${pname}.as_ptr() as i32`, `${pname}.len() as i32`);
        break;
      case "buffer":
        args.push(`${pname}.as_mut_ptr() as i32`, `${pname}.len() as i32`);
        break;
      default:
        if (p.core.length !== 1)
          throw new Error(`Rust target: parameter \`${fn.name}.${p.name}\` lowers to ${p.core.length} core values`);
        args.push(lowerScalar(model, p.type, spell, pname, p.core[0]));
    }
  }
  const outs = fn.result.kind === "expected" ? fn.result.values : [];
  const outLocals = outs.map((_, i) => freshLocal(`rp${i}`, taken));
  outs.forEach((v, i) => {
    setup.push(`let mut ${outLocals[i]} = core::mem::MaybeUninit::<${spell.type(v.type)}>::uninit();`);
    args.push(`${outLocals[i]}.as_mut_ptr() as i32`);
  });
  if (args.length !== fn.core.params.length) {
    throw new Error(
      `Rust target: \`${fn.import.module}.${fn.name}\` lowers to ${args.length} core params, the model says ${fn.core.params.length}`,
    );
  }

  const retLocal = freshLocal("ret", taken);
  const rawCall = (prefix: string, tail: string): string[] =>
    callLines(INDENT, `${prefix}raw::${name}`, args, tail);
  const body: string[] = [...setup.map((l) => `${INDENT}${l}`)];
  switch (fn.result.kind) {
    case "none":
      body.push(...rawCall("", ";"));
      break;
    case "noreturn":
      body.push(...rawCall("", ""));
      break;
    case "scalar": {
      const core = fn.core.results[0];
      if (fn.core.results.length !== 1) throw new Error(`Rust target: \`${fn.name}\` has ${fn.core.results.length} core results`);
      body.push(...rawCall(`let ${retLocal} = `, ";"));
      body.push(`${INDENT}${liftScalar(model, fn.result.type, spell, retLocal, core)}`);
      break;
    }
    case "expected": {
      const error = typeByName(model, fn.result.error);
      if (error.kind !== "enum") throw new Error(`Rust target: the error of \`${fn.name}\` is not an enum`);
      const errorType = spell.named(error.name);
      const core = fn.core.results[0];
      if (fn.core.results.length !== 1) throw new Error(`Rust target: \`${fn.name}\` has ${fn.core.results.length} core results`);
      body.push(...rawCall(`let ${retLocal} = `, ";"));
      const repr = reprOf(error);
      const errorValue = `${errorType}::from_raw(${repr === CORE_RUST[core] ? retLocal : `${retLocal} as ${repr}`})`;
      const reads = outLocals.map((l) => `${l}.assume_init()`);
      const value = reads.length === 0 ? "()" : reads.length === 1 ? reads[0] : `(${reads.join(", ")})`;
      body.push(`${INDENT}match ${retLocal} {`);
      body.push(...okArm(`${INDENT}${INDENT}`, reads, value));
      body.push(...armLines(`${INDENT}${INDENT}`, "_", `Err(${errorValue})`));
      body.push(`${INDENT}}`);
      break;
    }
  }
  const paramDecls = params.map((p) => `${p.name}: ${p.type}`);
  const cfg = cfgAttribute([featuresOf(model, fn, functionRefs(fn))]);
  const deprecated = deprecatedAttribute(fn.deprecated, replacementPath(model, module.name, fn.deprecated?.use ?? null));
  const mustUse = fn.result.kind === "scalar" ? "#[must_use]" : null;
  const attrs = [cfg, deprecated, mustUse, "#[inline]"].filter((a): a is string => !!a);

  const rawParams = fn.core.params.map((t, i) => `arg${i}: ${CORE_RUST[t]}`);
  const rawResult =
    fn.result.kind === "noreturn" ? " -> !" : fn.core.results.length ? ` -> ${CORE_RUST[fn.core.results[0]]}` : "";
  const rawAttrs = [cfg, symbolOf(name) !== fn.import.name ? `#[link_name = ${rustString(fn.import.name)}]` : null].filter(
    (a): a is string => !!a,
  );
  return {
    wrapper: {
      doc: functionDoc(fn, spell),
      attrs,
      signature: signatureLines("", `pub unsafe fn ${name}`, paramDecls, returnType),
      body,
      prototype: `pub unsafe fn ${name}(${paramDecls.join(", ")})${returnType}`,
    },
    raw: {
      attrs: rawAttrs,
      lines: declarationLines(INDENT.repeat(2), `pub fn ${name}`, rawParams, rawResult),
    },
  };
}

/** `0 => Ok(value),`; a tuple wider than rustfmt's call width gets one element per line. */
function okArm(indent: string, reads: string[], value: string): string[] {
  const one = `${indent}0 => Ok(${value}),`;
  if (reads.length > 1 && reads.join(", ").length > FN_CALL_WIDTH) {
    return [`${indent}0 => Ok((`, ...reads.map((r) => `${indent}${INDENT}${r},`), `${indent})),`];
  }
  return [one];
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** `use crate::types::*;` when the file mentions a root type, gated like the items that do. */
function rootUses(model: ContractModel, module: string, users: { features: string[]; refs: TypeRef[] }[]): string[] {
  if (module === TYPES_MODULE) return [];
  const needing: string[][] = [];
  for (const u of users) {
    const names = new Set<string>();
    for (const r of u.refs) directNames(r, names);
    if ([...names].some((n) => typeByName(model, n).scope === null)) needing.push(u.features);
  }
  if (needing.length === 0) return [];
  const cfg = cfgAttribute(needing);
  return [...(cfg ? [cfg] : []), `use crate::${TYPES_MODULE}::*;`];
}

function fileView(
  model: ContractModel,
  banner: string,
  module: string,
  doc: string[],
  types: TypeModel[],
  constants: ConstModel[],
  imports: ModuleModel | null,
  errors: Set<string>,
): RustFileView {
  const spell = new Spelling(ModelQuery.of(model), module);
  const names = new NameRegistry(module);
  const typeViews = types.map((t) => typeView(model, t, spell, names, errors));
  const constViews = constants.map((c) => constView(model, c, spell, names));
  const functions = (imports?.functions ?? []).map((fn) => functionView(model, imports!, fn, spell, names));
  const users = [
    ...types.map((t) => ({ features: featuresOf(model, t, []), refs: typeRefs(t) })),
    ...constants.map((c) => ({ features: featuresOf(model, c, [c.type]), refs: [c.type] })),
    ...(imports?.functions ?? []).map((fn) => ({
      features: featuresOf(model, fn, functionRefs(fn)),
      refs: functionRefs(fn),
    })),
  ];
  return {
    banner,
    path: `src/${symbolOf(module)}.rs`,
    doc,
    uses: rootUses(model, module, users),
    types: typeViews,
    constants: constViews,
    functions: functions.map((f) => f.wrapper),
    importModule: imports?.name ?? "",
    rawImports: functions.map((f) => f.raw),
  };
}

function cargoDescription(model: ContractModel): string {
  const first = model.package.docs.split(/\n\s*\n/)[0]?.replace(/\s+/g, " ").trim() ?? "";
  return `Rust guest bindings of ${model.package.name}@${model.package.version}${first ? `: ${first}` : ""}`;
}

/**
 * The crate's view. With `emit`, each module file's view is handed to it as soon as it is made
 * and not kept (`files` stays empty): rendering it at once lets it go before the next one is
 * made, which keeps a contract of thousands of functions small in memory.
 */
export function rustCrateView(model: ContractModel, ctx: GenContext, emit?: (file: RustFileView) => void): RustCrateView {
  const banner = lineBanner(model, ctx.source);
  const cargoBanner = lineBanner(model, ctx.source, "#");
  const features = rustFeatures(model);
  const errors = errorEnums(model);
  const crateName = rustCrateName(model);
  const files: RustFileView[] = [];
  const keep = emit ?? ((f: RustFileView) => void files.push(f));
  const modules: RustModuleDeclView[] = [];
  const root = new NameRegistry("crate");
  root.claim(TYPES_MODULE, "the types module");
  root.claim("CONTRACT_VERSION", "the contract version");

  const scoped = (scope: string | null) => ({
    types: model.types.filter((t) => t.scope === scope),
    constants: model.constants.filter((c) => c.scope === scope),
  });
  const top = scoped(null);
  keep(
    fileView(
      model,
      banner,
      TYPES_MODULE,
      [`The types and constants shared by the import modules of ${model.package.name}.`],
      top.types,
      top.constants,
      null,
      errors,
    ),
  );
  modules.push({ attrs: [], name: TYPES_MODULE, reexport: true });

  for (const m of model.modules) {
    const name = root.claim(rustIdent(m.name), `module ${m.name}`);
    const items = scoped(m.name);
    const doc = [
      `The \`${m.name}\` import module: typed wrappers, with the raw imports in [\`raw\`].`,
      ...(m.docs.trim() ? ["", ...rustDocLines(m.docs)] : []),
      ...(m.unstable ? ["", ...gateDocLines(m)] : []),
    ];
    keep(fileView(model, banner, name, doc, items.types, items.constants, m, errors));
    const cfg = cfgAttribute([m.unstable ? [m.unstable] : []]);
    modules.push({
      attrs: cfg ? [cfg] : [],
      name,
      reexport: false,
    });
  }
  const command = scoped(COMMAND_MODULE);
  if (command.types.length || command.constants.length) {
    const name = root.claim(COMMAND_MODULE, "the command module");
    const doc = [
      "Constants of the command invocation contract.",
      ...(model.command?.docs.trim() ? ["", ...rustDocLines(model.command.docs)] : []),
    ];
    keep(fileView(model, banner, name, doc, command.types, command.constants, null, errors));
    modules.push({ attrs: [], name, reexport: false });
  }
  return {
    cargo: {
      banner: cargoBanner,
      name: crateName,
      version: model.package.version,
      description: JSON.stringify(cargoDescription(model)),
      features: features.map((f) => ({ name: f, doc: `Unstable contract items gated by \`@unstable(${f})\`.` })),
      stdFeature: STD_FEATURE,
    },
    lib: {
      banner,
      doc: rustDocLines(model.package.docs),
      crateName,
      exampleFeatures: features.slice(0, 1),
      version: model.package.version,
      modules,
    },
    macros: { banner },
    files,
  };
}

export const rustTarget: Target = {
  name: "rust",
  async generate(model, ctx): Promise<GeneratedFile[]> {
    const files: GeneratedFile[] = [];
    const view = rustCrateView(model, ctx, (f) => files.push({ path: `${RUST_DIR}/${f.path}`, content: formatRust(renderTemplate("rust/module.rs.hbs", f)) }));
    const out: GeneratedFile[] = [
      { path: `${RUST_DIR}/Cargo.toml`, content: formatRust(renderTemplate("rust/Cargo.toml.hbs", view.cargo)) },
      { path: `${RUST_DIR}/src/lib.rs`, content: formatRust(renderTemplate("rust/lib.rs.hbs", view.lib)) },
      { path: `${RUST_DIR}/src/macros.rs`, content: formatRust(renderTemplate("rust/macros.rs.hbs", view.macros)) },
      ...files,
    ];
    return out;
  },
};
