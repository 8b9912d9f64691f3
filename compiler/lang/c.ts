// How the contract is spelt in C: identifiers safe in C and in C++ (the headers open
// `extern "C"` for C++ translation units), the C names of types, members, constants and
// functions, type spellings, and how each parameter lowers to C parameters and core-wasm
// arguments. The C target builds its headers from these, and the docs show the same prototypes.
//
// Naming (wasi-libc's for preview1, the same pattern keyed by scope for everything else):
// - A top-level type `X` is `__wasi_X_t`, its members `__WASI_X_MEMBER`, a top-level constant
//   `N` is `__WASI_N`. A type or constant declared in module `M` (or in the command block,
//   scope `command`) is `__M_X_t`, `__M_X_MEMBER`, `__M_N` (upper-cased for macros).
// - A wasi_snapshot_preview1 function `f` is the prototype `__wasi_f` (wasi-libc defines it);
//   an extension function `f` of module `M` is the raw import `__imported_M_f` (core types only)
//   plus the typed `static inline` wrapper `__M_f`.

import type { ConstModel, CoreType, FunctionModel, PrimitiveName, TypeModel, TypeRef } from "../model.ts";
import { exhaustive, type ModelQuery } from "../query.ts";

export const PREVIEW1 = "wasi_snapshot_preview1";

/** Keywords of C11/C23 and of C++ (a header included from C++ must compile there too). */
const C_KEYWORDS = new Set(
  (
    // C
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile " +
    "while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local " +
    "bool true false alignas alignof noreturn static_assert thread_local constexpr nullptr typeof typeof_unqual " +
    // C++ (C++20), including the alternative operator tokens
    "and and_eq asm bitand bitor catch char8_t char16_t char32_t class compl concept consteval constinit " +
    "const_cast co_await co_return co_yield decltype delete dynamic_cast explicit export friend mutable " +
    "namespace new noexcept not not_eq operator or or_eq private protected public reinterpret_cast requires " +
    "static_cast template this throw try typeid typename using virtual wchar_t xor xor_eq"
  ).split(" "),
);

/** A parameter, field or case name usable as a C and C++ identifier. */
export function cIdentifier(name: string): string {
  return C_KEYWORDS.has(name) ? `${name}_` : name;
}

function scopePrefix(scope: string | null): string {
  return scope === null ? "__wasi" : `__${scope}`;
}

function macroPrefix(scope: string | null): string {
  return scopePrefix(scope).toUpperCase();
}

/** `__wasi_errno_t`, `__host_process_spawn_flags_t`. */
export function cTypeName(q: ModelQuery, name: string): string {
  return `${scopePrefix(q.type(name).scope)}_${name}_t`;
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

export const PRIMITIVE_C: Record<PrimitiveName, string> = {
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

export function coreCType(t: CoreType): string {
  return { i32: "int32_t", i64: "int64_t", f32: "float", f64: "double" }[t];
}

/** The C spelling of a type at a field, case or pointer position. */
export function cType(q: ModelQuery, t: TypeRef): string {
  switch (t.kind) {
    case "primitive":
      return PRIMITIVE_C[t.name];
    case "named":
      return cTypeName(q, t.name);
    case "ptr": {
      const to = cType(q, t.to);
      if (!t.const) return `${to} *`;
      return to.endsWith("*") ? `${to}const *` : `const ${to} *`;
    }
    case "string":
    case "list":
    case "buffer":
      throw new Error(`C target: \`${t.kind}\` is only valid as a function parameter`);
    default:
      return exhaustive(t, "type reference");
  }
}

/** `uint8_t *buf`, `__wasi_fd_t fd`: a declaration of `name` with C type `type`. */
export function cDeclaration(type: string, name: string): string {
  return type.endsWith("*") ? `${type}${name}` : `${type} ${name}`;
}

/** One C parameter of a typed function, plus the core arguments it lowers to. */
export interface CParam {
  decl: string;
  /** The doc text of the parameter (or of its length, or of an out-value). */
  doc: string;
  /** Core-wasm argument expressions, one per core param. */
  args: string[];
}

function pointerArg(name: string): string {
  return `(int32_t)(uintptr_t) ${name}`;
}

/** The C parameters of a function in order: each IDL parameter (two for a string, list or buffer), then the out-pointers. */
export function cParams(q: ModelQuery, fn: FunctionModel): CParam[] {
  const lowered: CParam[] = [];
  for (const p of fn.params) {
    const name = cIdentifier(p.name);
    const t = p.type;
    switch (t.kind) {
      case "string":
        lowered.push({ decl: `const char *${name}`, doc: p.docs, args: [pointerArg(name), `(int32_t) strlen(${name})`] });
        break;
      case "list":
      case "buffer": {
        const elem = cType(q, t.of);
        const ptrType = t.kind === "list" ? (elem.endsWith("*") ? `${elem}const *` : `const ${elem} *`) : `${elem} *`;
        lowered.push({ decl: cDeclaration(ptrType, name), doc: p.docs, args: [pointerArg(name)] });
        const lenType = t.kind === "list" ? "size_t" : "__wasi_size_t";
        const what = t.kind === "list" ? "array" : "buffer";
        lowered.push({ decl: `${lenType} ${name}_len`, doc: `The length of the ${what} pointed to by \`${p.name}\`.`, args: [`(int32_t) ${name}_len`] });
        break;
      }
      case "ptr":
        lowered.push({ decl: cDeclaration(cType(q, t), name), doc: p.docs, args: [pointerArg(name)] });
        break;
      case "primitive":
      case "named":
        if (p.core.length !== 1) throw new Error(`C target: parameter \`${fn.name}.${p.name}\` lowers to ${p.core.length} core values`);
        lowered.push({ decl: cDeclaration(cType(q, t), name), doc: p.docs, args: [`(${coreCType(p.core[0]!)}) ${name}`] });
        break;
      default:
        exhaustive(t, "type reference");
    }
  }
  if (fn.result.kind === "expected") {
    const several = fn.result.values.length > 1;
    fn.result.values.forEach((v, i) => {
      const name = `retptr${i}`;
      const doc = v.docs || (several ? `Receives \`${v.name}\` on success.` : "");
      lowered.push({ decl: cDeclaration(`${cType(q, v.type)} *`, name), doc, args: [pointerArg(name)] });
    });
  }
  const args = lowered.reduce((n, p) => n + p.args.length, 0);
  if (args !== fn.core.params.length)
    throw new Error(`C target: \`${fn.import.module}.${fn.name}\` lowers to ${args} core params, the model says ${fn.core.params.length}`);
  return lowered;
}

/** The C return type of a typed function: `__wasi_errno_t`, `_Noreturn void`, a scalar. */
export function cReturnType(q: ModelQuery, fn: FunctionModel): string {
  switch (fn.result.kind) {
    case "none":
      return "void";
    case "noreturn":
      return "_Noreturn void";
    case "scalar":
      return cType(q, fn.result.type);
    case "expected":
      return cTypeName(q, fn.result.error);
    default:
      return exhaustive(fn.result, "result kind");
  }
}

/** The one-line C declaration of a function's typed form (the wasi-libc prototype or the wrapper). */
export function cPrototype(q: ModelQuery, fn: FunctionModel): string {
  const params = cParams(q, fn).map((p) => p.decl);
  return `${cReturnType(q, fn)} ${cFunctionName(fn.import.module, fn)}(${params.length ? params.join(", ") : "void"});`;
}
