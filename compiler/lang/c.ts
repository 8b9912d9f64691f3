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

import type { ConstModel, ContractModel, CoreType, FunctionModel, PrimitiveName, TypeModel, TypeRef } from "../model.ts";
import { exhaustive, ModelQuery } from "../query.ts";
import { ClaimList, type NameClaim } from "./names.ts";

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

/**
 * Names the headers' own includes (<stddef.h>, <stdint.h>, <string.h>) and every C compiler
 * define or declare: a field or parameter spelt so would be replaced by a macro or hide a type
 * or a function the wrappers call.
 */
const C_LIBRARY_NAMES = new Set(
  (
    "NULL offsetof size_t ptrdiff_t wchar_t max_align_t errno assert EOF stdin stdout stderr " +
    "int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t intmax_t uintmax_t " +
    "int_least8_t int_least16_t int_least32_t int_least64_t uint_least8_t uint_least16_t uint_least32_t uint_least64_t " +
    "int_fast8_t int_fast16_t int_fast32_t int_fast64_t uint_fast8_t uint_fast16_t uint_fast32_t uint_fast64_t " +
    "INT8_MIN INT16_MIN INT32_MIN INT64_MIN INT8_MAX INT16_MAX INT32_MAX INT64_MAX UINT8_MAX UINT16_MAX UINT32_MAX UINT64_MAX " +
    "INTPTR_MIN INTPTR_MAX UINTPTR_MAX INTMAX_MIN INTMAX_MAX UINTMAX_MAX PTRDIFF_MIN PTRDIFF_MAX SIZE_MAX " +
    "SIG_ATOMIC_MIN SIG_ATOMIC_MAX WCHAR_MIN WCHAR_MAX WINT_MIN WINT_MAX " +
    "INT8_C INT16_C INT32_C INT64_C UINT8_C UINT16_C UINT32_C UINT64_C INTMAX_C UINTMAX_C " +
    "strlen memcpy memmove memset memcmp memchr strcpy strncpy strcat strncat strcmp strncmp strchr strrchr " +
    "strstr strtok strerror strdup strndup strnlen strspn strcspn strpbrk strcoll strxfrm " +
    "main unix linux i386 wasm"
  ).split(" "),
);

/**
 * A field, case or parameter name usable as a C and C++ identifier: a keyword, a C library name
 * or a reserved identifier (`__x`, `_X`: the compiler's own macros are spelt so) gets a `_`;
 * a name starting with a digit (`%2big`) gets a leading `_`.
 */
export function cIdentifier(name: string): string {
  if (/^[0-9]/.test(name)) return `_${name}`;
  return C_KEYWORDS.has(name) || C_LIBRARY_NAMES.has(name) || /^_[_A-Z]/.test(name) ? `${name}_` : name;
}

function scopePrefix(scope: string | null): string {
  return scope === null ? "__wasi" : `__${scope}`;
}

function macroPrefix(scope: string | null): string {
  return scopePrefix(scope).toUpperCase();
}

/** `__wasi_errno_t`, `__host_process_spawn_flags_t`. */
export function cTypeName(q: ModelQuery, name: string): string {
  return unlikeCompilerMacro(`${scopePrefix(q.type(name).scope)}_${name}_t`);
}

/** `__wasi_subscription_u_t`: the union of a variant's payloads, beside its struct. */
export function cUnionName(q: ModelQuery, name: string): string {
  return unlikeCompilerMacro(`${scopePrefix(q.type(name).scope)}_${name}_u_t`);
}

/**
 * Macros without a trailing `__` that clang predefines for wasm32 (C and C++) or that the headers
 * the generated code includes define (wasi-libc's <stddef.h>, <stdint.h>, <string.h>,
 * <stdbool.h>), as `clang --target=wasm32-wasi -dM -E` lists them; families whose members
 * grow with clang's versions go by prefix. test/gen-c.test.ts asks the installed clang.
 */
const PREDEFINED_MACROS = new Set(
  (
    "__wasm __wasm32 __wasm64 __cplusplus __DEPRECATED __EXCEPTIONS __PRAGMA_REDEFINE_EXTNAME " +
    "__BIG_ENDIAN __LITTLE_ENDIAN __PDP_ENDIAN __BYTE_ORDER __LONG_MAX __REDIR __USE_TIME_BITS64 " +
    "__STDBOOL_H __STDDEF_H __bool_true_false_are_defined __inline __restrict " +
    // C++'s feature-test macros (C++11 to C++26), listed rather than matched by `__cpp_`, so that
    // a module `cpp_kw` keeps its names.
    [
      "aggregate_bases aggregate_nsdmi aggregate_paren_init alias_templates aligned_new attributes auto_cast",
      "binary_literals capture_star_this char8_t concepts conditional_explicit consteval constexpr",
      "constexpr_dynamic_alloc constexpr_exceptions constexpr_in_decltype constinit contracts coroutines",
      "decltype decltype_auto deduction_guides delegating_constructors deleted_function",
      "designated_initializers digit_separators enumerator_attributes exceptions expansion_statements",
      "explicit_this_parameter fold_expressions generic_lambdas guaranteed_copy_elision hex_float",
      "if_consteval if_constexpr impl_coroutine impl_destroying_delete impl_three_way_comparison",
      "implicit_move inheriting_constructors init_captures initializer_lists inline_variables lambdas",
      "modules multidimensional_subscript named_character_escapes namespace_attributes nested_namespace_definitions",
      "noexcept_function_type nontype_template_args nontype_template_parameter_auto nsdmi pack_indexing",
      "placeholder_variables pp_embed range_based_for raw_strings ref_qualifiers reflection",
      "return_type_deduction rtti rvalue_references size_t_suffix sized_deallocation static_assert",
      "static_call_operator structured_bindings template_auto template_template_args",
      "threadsafe_static_init trivial_relocatability unicode_characters unicode_literals",
      "user_defined_literals using_enum variable_templates variadic_friend variadic_templates variadic_using",
    ]
      .join(" ")
      .split(" ")
      .map((f) => `__cpp_${f}`)
      .join(" ")
  ).split(" "),
);
const PREDEFINED_MACRO_FAMILY = /^__(?:ATOMIC|CLANG|GCC|GXX|GLIBCXX|OBJC|OPENCL|MEMORY_SCOPE|FPCLASS|STDC|DEFINED|NEED|wasilibc)_/;

/**
 * A prefixed name spelt like a macro of the compiler or the C library (`__UINT8_MAX__` for
 * function `_` of module `UINT8_MAX`, `__ATOMIC_RELAXED` for constant `relaxed` of module
 * `ATOMIC`, `__cpp_lambdas`) gets one more `_`. Only such names change; should the result meet
 * another generated name, the check's E0219 reports it (it spells names through these functions).
 */
export function unlikeCompilerMacro(name: string): string {
  return /^__\w*__$/.test(name) || PREDEFINED_MACROS.has(name) || PREDEFINED_MACRO_FAMILY.test(name) ? `${name}_` : name;
}

/** `__WASI_ERRNO_BADF`. */
export function cMemberMacro(type: TypeModel, member: string): string {
  return unlikeCompilerMacro(`${macroPrefix(type.scope)}_${type.name}_${member}`.toUpperCase());
}

/**
 * `EAGAIN` for `again`: how wasi-libc's `<errno.h>` spells a member of the contract's `errno`
 * enum (it defines `E<NAME>` as `__WASI_ERRNO_<NAME>`), the name C code and porters know.
 */
export function cErrnoMacro(member: string): string {
  return `E${member.toUpperCase()}`;
}

/** `__WASI_DIRCOOKIE_START`, `__HOST_NET_SOL_SOCKET`. */
export function cConstMacro(c: ConstModel): string {
  return unlikeCompilerMacro(`${macroPrefix(c.scope)}_${c.name}`.toUpperCase());
}

/** `__wasi_fd_write`, `__host_net_net_socket`. */
export function cFunctionName(module: string, fn: FunctionModel): string {
  return unlikeCompilerMacro(module === PREVIEW1 ? `__wasi_${fn.name}` : `__${module}_${fn.name}`);
}

export function cImportName(module: string, fn: FunctionModel): string {
  return `__imported_${module}_${fn.name}`;
}

/** `__ABIC_FEATURE_POLL_EXT`: the macro that enables an unstable feature's declarations (`-` is `_`). */
export function cFeatureMacro(feature: string): string {
  return `__ABIC_FEATURE_${feature.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;
}

/** The include guard of a generated header (`abic/common.h`, `host_fs.h`); module headers' are apart. */
export function cIncludeGuard(path: string, isModule: boolean): string {
  if (path === "wasi/api.h") return "__wasi_api_h";
  return isModule ? `__abic_module_${path.replace(/\W/g, "_")}` : `__abic_${path.replace(/^abic\//, "").replace(/\W/g, "_")}`;
}

/** A C string literal: quotes, backslashes, `?` (no trigraph can form) and control characters escaped. */
export function cStringLiteral(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"' || ch === "?") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `"${out}"`;
}

/**
 * The headers of the C standard library (C11). A module's header is `<module>.h` in the include
 * folder, so a module named after one of them would be found in its place by `#include <string.h>`
 * (its own header's include then finds itself, and `strlen` is never declared).
 */
const C_STANDARD_HEADERS = [
  "assert", "complex", "ctype", "errno", "fenv", "float", "inttypes", "iso646", "limits", "locale", "math",
  "setjmp", "signal", "stdalign", "stdarg", "stdatomic", "stdbool", "stddef", "stdint", "stdio", "stdlib",
  "stdnoreturn", "string", "tgmath", "threads", "time", "uchar", "wchar", "wctype",
];

/** Module names the C target cannot use: their header would shadow the C library's. */
export function cReservedModule(name: string): string | null {
  return C_STANDARD_HEADERS.includes(name.toLowerCase()) ? `a header of the C library (<${name.toLowerCase()}.h>, which its \`${name}.h\` would shadow)` : null;
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
  // `bool` from <stdbool.h> (C11) is C++'s own `bool`; `_Bool` is not C++.
  bool: "bool",
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

/**
 * The C name of each parameter of a typed function: escaped (cIdentifier), and clear of the
 * names the lowering adds itself (`x_len` of a sequence `x`, the out-pointers `retptrN`, the
 * wrapper's `ret`): a parameter spelt like one of those takes trailing `_`s until it is not.
 */
export function cParamNames(fn: FunctionModel): string[] {
  const taken = new Set<string>(["ret"]);
  if (fn.result.kind === "expected") fn.result.values.forEach((_, i) => taken.add(`retptr${i}`));
  const names: string[] = [];
  for (const p of fn.params) {
    let name = cIdentifier(p.name);
    while (taken.has(name) || (["string", "list", "buffer"].includes(p.type.kind) && taken.has(`${name}_len`))) name += "_";
    taken.add(name);
    if (p.type.kind === "list" || p.type.kind === "buffer") taken.add(`${name}_len`);
    names.push(name);
  }
  return names;
}

/**
 * The C type of a buffer's length: `__wasi_size_t`, as wasi-libc's prototypes have it, when the
 * contract declares preview1's `size`; else `size_t`.
 */
function bufferLengthType(q: ModelQuery): string {
  const size = q.findType("size");
  const target = size?.kind === "alias" && size.scope === null ? size.target : null;
  return target?.kind === "primitive" && (target.name === "usize" || target.name === "u32") ? "__wasi_size_t" : "size_t";
}

/** The C parameters of a function in order: each IDL parameter (two for a string, list or buffer), then the out-pointers. */
export function cParams(q: ModelQuery, fn: FunctionModel): CParam[] {
  const lowered: CParam[] = [];
  const names = cParamNames(fn);
  for (const [i, p] of fn.params.entries()) {
    const name = names[i]!;
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
        const lenType = t.kind === "list" ? "size_t" : bufferLengthType(q);
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

const C_GLOBAL = "the C headers (types, macros and functions share one namespace)";

/**
 * Every name the C headers declare for the contract, by scope: the prefixed type, macro and
 * function names share one namespace (a macro hides any identifier), fields and cases are
 * unique per type. Parameters are not listed: cParamNames keeps them apart itself.
 */
export function cNameClaims(model: ContractModel): NameClaim[] {
  const q = ModelQuery.of(model);
  const list = new ClaimList();
  for (const t of model.types) {
    list.claim(cTypeName(q, t.name), C_GLOBAL, `type \`${t.name}\``, t.span);
    switch (t.kind) {
      case "enum":
      case "flags":
        for (const m of t.members) list.claim(cMemberMacro(t, m.name), C_GLOBAL, `member \`${t.name}::${m.name}\``, m.span);
        break;
      case "struct":
        for (const f of t.fields) list.claim(cIdentifier(f.name), `the fields of \`${t.name}\` in C`, `field \`${t.name}.${f.name}\``, f.span);
        break;
      case "variant":
        list.claim(cUnionName(q, t.name), C_GLOBAL, `the payload union of type \`${t.name}\``, t.span);
        for (const c of t.cases) if (c.payload) list.claim(cIdentifier(c.name), `the cases of \`${t.name}\` in C`, `case \`${t.name}::${c.name}\``, c.span);
        break;
      case "alias":
        break;
      default:
        exhaustive(t);
    }
  }
  for (const c of model.constants) list.claim(cConstMacro(c), C_GLOBAL, `constant \`${c.name}\``, c.span);
  for (const m of model.modules)
    for (const f of m.functions) {
      const owner = `function \`${m.name}.${f.name}\``;
      list.claim(cFunctionName(m.name, f), C_GLOBAL, owner, f.span);
      if (m.name !== PREVIEW1) list.claim(cImportName(m.name, f), C_GLOBAL, owner, f.span);
    }
  return list.claims;
}
