// How the contract is spelt in Rust: identifiers safe in Rust (raw identifiers for keywords),
// type, constant and module names as the `wasi` crate 0.11 spells them, type spellings as seen
// from one generated module, and each function's wrapper signature. The Rust target builds its
// crate from these, and the docs show the same signatures.

import type { ContractModel, CoreType, FunctionModel, PrimitiveName, TypeRef } from "../model.ts";
import { exhaustive, ModelQuery } from "../query.ts";
import { ClaimList, type NameClaim } from "./names.ts";

/** The module (`src/types.rs`) of the top-level types and constants, re-exported at the crate root. */
export const TYPES_MODULE = "types";

const RUST_KEYWORDS = new Set(
  (
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match " +
    "mod move mut pub ref return self Self static struct super trait true type unsafe use where while " +
    "abstract become box do final macro override priv try typeof unsized virtual yield"
  ).split(" "),
);
/** Keywords a raw identifier cannot spell; they take a trailing `_` instead. */
const NOT_RAW = new Set(["crate", "self", "Self", "super"]);

/** Names the generated code uses unqualified (prelude types, traits and variants). */
const PRELUDE = new Set(
  (
    "Result Option Ok Err Some None Copy Clone Send Sync Sized Unpin Drop Fn FnMut FnOnce Box String Vec " +
    "ToString ToOwned Iterator IntoIterator Extend Default Eq PartialEq Ord PartialOrd Hash Debug From Into " +
    "AsRef AsMut TryFrom TryInto DoubleEndedIterator ExactSizeIterator"
  ).split(" "),
);

function words(name: string): string[] {
  return name.split("_").filter((w) => w.length > 0);
}

/** A field, parameter, function or module name usable as a Rust identifier. */
export function rustIdent(name: string): string {
  if (/^[0-9]/.test(name)) return `_${name}`;
  if (NOT_RAW.has(name) || name === "_") return `${name}_`;
  return RUST_KEYWORDS.has(name) ? `r#${name}` : name;
}

/**
 * `event_fd_readwrite` -> `EventFdReadwrite`; a prelude name gets a `Type` suffix; a name of
 * underscores only keeps them and gains one (`_` -> `__`).
 */
export function rustTypeName(name: string): string {
  let pascal = words(name)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  if (pascal === "") return `${name}_`;
  if (/^[0-9]/.test(pascal)) pascal = `T${pascal}`;
  if (PRELUDE.has(pascal) || RUST_KEYWORDS.has(pascal)) pascal = `${pascal}Type`;
  return pascal;
}

/** `dircookie_start` -> `DIRCOOKIE_START`; `_` -> `__` (`_` alone names no constant). */
export function rustConstName(name: string): string {
  const upper = name.toUpperCase();
  if (/^_+$/.test(upper)) return `${upper}_`;
  return /^[0-9]/.test(upper) ? `_${upper}` : upper;
}

/** `errno` + `badf` -> `ERRNO_BADF`: the module constant of an enum or flags member. */
export function rustMemberConst(type: string, member: string): string {
  return rustConstName(`${type}_${member}`);
}

/** The crate's name: the contract's package name. */
export function rustCrateName(model: ContractModel): string {
  return model.package.name.replace(/-/g, "_");
}

/** The Rust module (file `src/<name>.rs`) that holds items of a scope. */
export function rustModuleOf(scope: string | null): string {
  return scope === null ? TYPES_MODULE : rustIdent(scope);
}

/** The name the symbol of an identifier has (a raw identifier's text without `r#`). */
export function symbolOf(ident: string): string {
  return ident.startsWith("r#") ? ident.slice(2) : ident;
}

export const PRIMITIVE_RUST: Record<PrimitiveName, string> = {
  u8: "u8",
  u16: "u16",
  u32: "u32",
  u64: "u64",
  s8: "i8",
  s16: "i16",
  s32: "i32",
  s64: "i64",
  f32: "f32",
  f64: "f64",
  bool: "bool",
  char8: "u8",
  usize: "usize",
  handle: "i32",
};

export const CORE_RUST: Record<CoreType, string> = { i32: "i32", i64: "i64", f32: "f32", f64: "f64" };

/** Spells types as seen from one generated module: its own and the root's unqualified. */
export class Spelling {
  constructor(
    private readonly q: ModelQuery,
    readonly module: string,
  ) {}

  named(name: string): string {
    const home = rustModuleOf(this.q.type(name).scope);
    const rust = rustTypeName(name);
    return home === this.module || home === TYPES_MODULE ? rust : `crate::${home}::${rust}`;
  }

  /** The Rust type at a field, case, out-value, constant or scalar position. */
  type(t: TypeRef): string {
    switch (t.kind) {
      case "primitive":
        return PRIMITIVE_RUST[t.name];
      case "named":
        return this.named(t.name);
      case "ptr":
        return `${t.const ? "*const" : "*mut"} ${this.type(t.to)}`;
      case "string":
        return "&str";
      case "list":
        return `&[${this.type(t.of)}]`;
      case "buffer":
        return `&mut [${this.type(t.of)}]`;
      default:
        return exhaustive(t, "type reference");
    }
  }
}

/** The parameters and return type of a function's typed wrapper, `pub unsafe fn name(params) ret`. */
export function rustSignature(q: ModelQuery, fn: FunctionModel, spell: Spelling): { params: { name: string; type: string }[]; returnType: string } {
  const params = fn.params.map((p) => ({ name: rustIdent(p.name), type: spell.type(p.type) }));
  const r = fn.result;
  switch (r.kind) {
    case "none":
      return { params, returnType: "" };
    case "noreturn":
      return { params, returnType: " -> !" };
    case "scalar":
      return { params, returnType: ` -> ${spell.type(r.type)}` };
    case "expected": {
      const errorType = spell.named(q.typeOfKind(r.error, "enum").name);
      const outs = r.values;
      const ok = outs.length === 0 ? "()" : outs.length === 1 ? spell.type(outs[0]!.type) : `(${outs.map((v) => spell.type(v.type)).join(", ")})`;
      return { params, returnType: ` -> Result<${ok}, ${errorType}>` };
    }
    default:
      return exhaustive(r, "result kind");
  }
}

/**
 * The Rust signature of a function's wrapper for the docs: a comment with its path in the crate,
 * then the declaration on one line.
 */
export function rustPrototype(model: ContractModel, fn: FunctionModel): string {
  const q = ModelQuery.of(model);
  const module = q.findModule(fn.import.module);
  if (!module) throw new Error(`Rust target: \`${fn.name}\` is in no module of the model`);
  const { params, returnType } = rustSignature(q, fn, new Spelling(q, rustIdent(module.name)));
  const name = rustIdent(fn.name);
  return `// ${rustCrateName(model)}::${rustIdent(module.name)}::${name}\npub unsafe fn ${name}(${params.map((p) => `${p.name}: ${p.type}`).join(", ")})${returnType};`;
}

/** The crate's own files and root items: a module spelt like one would overwrite or shadow it. */
export const RUST_FIXED_MODULES = ["lib", "macros", TYPES_MODULE, "command"];

/** The Cargo features the crate declares itself: a `@unstable` gate may not be named so. */
export const RUST_FIXED_FEATURES = ["std", "default"];

/**
 * Every name the Rust crate declares for the contract, by the module file it lands in: top-level
 * types and constants in `types`, a module's own types, constants and wrappers in its file, and
 * the module names at the crate root.
 */
export function rustNameClaims(model: ContractModel): NameClaim[] {
  const list = new ClaimList();
  const fileOf = (scope: string | null): string => `the Rust module \`${scope === null ? TYPES_MODULE : symbolOf(rustIdent(scope))}\``;
  for (const t of model.types) {
    const scope = fileOf(t.scope);
    const name = rustTypeName(t.name);
    list.claim(name, scope, `type \`${t.name}\``, t.span);
    if (t.kind === "variant") list.claim(`${name}U`, scope, `type \`${t.name}\``, t.span);
    if (t.kind === "enum" || t.kind === "flags")
      for (const m of t.members) list.claim(rustMemberConst(t.name, m.name), scope, `member \`${t.name}::${m.name}\``, m.span);
  }
  for (const c of model.constants) list.claim(rustConstName(c.name), fileOf(c.scope), `constant \`${c.name}\``, c.span);
  for (const m of model.modules) {
    list.claim(symbolOf(rustIdent(m.name)), "the modules of the Rust crate", `module \`${m.name}\``, m.span);
    for (const f of m.functions) list.claim(rustIdent(f.name), fileOf(m.name), `function \`${m.name}.${f.name}\``, f.span);
  }
  return list.claims;
}
