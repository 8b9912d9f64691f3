// What the language itself defines, described for hover and completion: the built-in types,
// the annotations, the keywords, and the libc block's change kinds. The summaries follow
// LANGUAGE.md; a test checks that every annotation and libc change the checker knows is
// described here. (The libc properties and header kinds are described where they are checked
// and generated: check-libc.ts and gen/libc.ts.)

import { primitiveLayout, POINTER_LAYOUT } from "../layout.ts";
import { primitiveCore } from "../lower.ts";
import type { LibcChange, PrimitiveName } from "../model.ts";

export interface BuiltinType {
  summary: string;
  /** What to insert on completion (`ptr<$1>`): a snippet when the type takes arguments. */
  snippet: string;
  /** wasm32 size and alignment, when the type has a layout of its own. */
  layout: { size: number; align: number } | null;
  /** How a parameter of this type lowers to core wasm. */
  core: string;
}

const PRIMITIVE_SUMMARY: Record<PrimitiveName, string> = {
  u8: "unsigned 8-bit integer",
  u16: "unsigned 16-bit integer",
  u32: "unsigned 32-bit integer",
  u64: "unsigned 64-bit integer",
  s8: "signed 8-bit integer",
  s16: "signed 16-bit integer",
  s32: "signed 32-bit integer",
  s64: "signed 64-bit integer",
  f32: "IEEE 754 single-precision float",
  f64: "IEEE 754 double-precision float",
  bool: "0 or 1, one byte (C `_Bool`)",
  char8: "one byte of UTF-8 text (C `char`)",
  usize: "pointer-sized unsigned integer, 32-bit on wasm32 (C `size_t`)",
  handle: "a descriptor (fd), C `int`",
};

export const BUILTIN_TYPES: Record<string, BuiltinType> = {
  ...Object.fromEntries(
    (Object.keys(PRIMITIVE_SUMMARY) as PrimitiveName[]).map((p) => [
      p,
      { summary: PRIMITIVE_SUMMARY[p], snippet: p, layout: primitiveLayout(p), core: primitiveCore(p) },
    ]),
  ),
  ptr: { summary: "a guest pointer to `T` the callee may write through", snippet: "ptr<$1>", layout: POINTER_LAYOUT, core: "i32" },
  const_ptr: { summary: "a guest pointer to `T` the callee only reads", snippet: "const_ptr<$1>", layout: POINTER_LAYOUT, core: "i32" },
  string: { summary: "UTF-8 text (parameters only)", snippet: "string", layout: null, core: "i32 ptr, i32 len" },
  list: { summary: "an array of `T` the callee reads (parameters only)", snippet: "list<$1>", layout: null, core: "i32 ptr, i32 len" },
  buffer: { summary: "an array of `T` the callee writes into (parameters only)", snippet: "buffer<$1>", layout: null, core: "i32 ptr, i32 len" },
  result: {
    summary: "a function result: the error enum is returned, the ok values are written through trailing out-pointers",
    snippet: "result<$1, ${2:errno}>",
    layout: null,
    core: "i32 result + one trailing i32 out-pointer per ok value",
  },
};

export interface AnnotationDoc {
  /** How it is written. */
  usage: string;
  on: string;
  summary: string;
  /** Completion snippet after the `@`. */
  snippet: string;
}

export const ANNOTATIONS: Record<string, AnnotationDoc> = {
  since: { usage: "@since(1.0.0)", on: "any declaration", summary: "Stable since this version (must not exceed the package version).", snippet: "since(${1:1.0.0})" },
  unstable: { usage: "@unstable(feature)", on: "any declaration", summary: "Not yet stable; linked only when `feature` is enabled. Excludes `@since`.", snippet: "unstable(${1:feature})" },
  deprecated: {
    usage: '@deprecated(1.2.0, use = other_fn, note = "...")',
    on: "function, type, const",
    summary: "Still served; name the replacement with `use` and/or explain with `note` (at least one).",
    snippet: "deprecated(${1:1.0.0}, use = ${2:replacement})",
  },
  provided: { usage: "@provided", on: "function", summary: "Served by the implementation (the default).", snippet: "provided" },
  stubbed: { usage: "@stubbed(errno_member)", on: "function", summary: "Linked, but always returns that errno; implementations do not write it.", snippet: "stubbed(${1:nosys})" },
  refused: { usage: '@refused("reason")', on: "function", summary: "Not linked: a guest importing it fails to instantiate.", snippet: 'refused("${1:reason}")' },
  compat: { usage: '@compat("note")', on: "function", summary: "Kept for existing guests; new guests should use the canonical function.", snippet: 'compat("${1:note}")' },
  deviation: {
    usage: '@deviation("text")',
    on: "function, module",
    summary:
      "How it differs from the specification its module follows (WASI preview1, POSIX), in a sentence or two. " +
      "Shown with the function in the docs and on `deviations.md`, marked in the ABI report, compared by `abic diff`. Not on `@refused` functions.",
    snippet: 'deviation("${1:how it differs}")',
  },
  sentinel: {
    usage: "@sentinel(VALUE) / @sentinel(VALUE, fault = VALUE)",
    on: "function returning a plain scalar (required there)",
    summary:
      "What it returns on failure (the implementation fails, a `string` argument is not UTF-8), and with `fault` for a pointer or length outside guest memory (default: the first value). " +
      "A number, a constant or `type::member`.",
    snippet: "sentinel(${1:0xffff_ffff})",
  },
  tier: {
    usage: "@tier(isolated | read-only | read-write | full)",
    on: "module, function",
    summary: "The lowest permission tier that links it (a function's overrides its module's).",
    snippet: "tier(${1|isolated,read-only,read-write,full|})",
  },
  open: { usage: "@open", on: "enum", summary: "Consumers must accept unknown values (errno must be open).", snippet: "open" },
};

/** Keywords that start an item, by the block they may appear in. */
export const ITEM_KEYWORDS: Record<"top" | "module" | "command" | "libc", string[]> = {
  top: ["package", "use", "type", "enum", "flags", "struct", "variant", "const", "module", "command", "libc"],
  module: ["fn", "type", "enum", "flags", "struct", "variant", "const", "alias", "reserved fn"],
  command: ["export", "optional export", "convention", "const"],
  libc: ["header", "fn", "absent fn"],
};

/** What each change kind of a libc function (`fn NAME: CHANGE`) says about upstream wasi-libc. */
export const LIBC_CHANGE_DOCS: Record<LibcChange, string> = {
  added: "upstream wasi-libc does not define it; the runtime's patch adds it",
  replaced: "upstream wasi-libc defines it (in `libc.a` or an opt-in emulation library); the patch reroutes or fixes it, keeping upstream's prototype",
  stubbed: "it links but does nothing useful; `returns` says what it answers",
};

export function builtinType(name: string): BuiltinType | undefined {
  return Object.hasOwn(BUILTIN_TYPES, name) ? BUILTIN_TYPES[name] : undefined;
}

export function annotationDoc(name: string): AnnotationDoc | undefined {
  return Object.hasOwn(ANNOTATIONS, name) ? ANNOTATIONS[name] : undefined;
}
