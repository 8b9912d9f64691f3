// The checked model of a contract: names resolved, layouts and core-wasm lowering computed once.
// It is plain JSON data: `abic ir` prints it, `generated/abi.json` stores it, and `abic diff`
// can read it back, so every backend and tool works from exactly this shape.

/**
 * The manifest format's version. 2 added `sentinel` to plain-scalar results; a version-1
 * manifest reads as version 2 with `sentinel: null` (see manifest.ts).
 */
export const SCHEMA_VERSION = 2;

/** A position in a source file; lines and columns are 1-based. */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type CoreType = "i32" | "i64" | "f32" | "f64";

export type Tier = "isolated" | "read-only" | "read-write" | "full";
export const TIERS: readonly Tier[] = ["isolated", "read-only", "read-write", "full"];

export type PrimitiveName =
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  | "s8"
  | "s16"
  | "s32"
  | "s64"
  | "f32"
  | "f64"
  | "bool"
  | "char8"
  | "usize"
  | "handle";

/** A reference to a type as written at a use site, resolved. */
export type TypeRef =
  | { kind: "primitive"; name: PrimitiveName }
  | { kind: "named"; name: string }
  | { kind: "ptr"; const: boolean; to: TypeRef }
  | { kind: "string" }
  | { kind: "list"; of: TypeRef }
  | { kind: "buffer"; of: TypeRef };

/** Stability gate of an item. */
export interface Gate {
  /** `@since` version, or null when unstable. */
  since: string | null;
  /** `@unstable` feature, or null when stable. */
  unstable: string | null;
  deprecated: Deprecation | null;
}

export interface Deprecation {
  since: string;
  use: string | null;
  note: string | null;
}

export interface Layout {
  size: number;
  align: number;
}

export interface EnumMember {
  name: string;
  value: number | string; // string for values beyond 2^53 (u64 reprs)
  docs: string;
  span: Span;
}

export interface ReservedValue {
  name: string;
  value: number | string;
  span: Span;
}

export interface FieldModel {
  name: string;
  type: TypeRef;
  offset: number;
  size: number;
  align: number;
  docs: string;
  span: Span;
}

export interface CaseModel {
  name: string;
  /** The tag value of this case. */
  tag: number;
  payload: TypeRef | null;
  docs: string;
  span: Span;
}

interface TypeCommon extends Gate, Layout {
  name: string;
  docs: string;
  span: Span;
  /** The module whose block declares the type, or null for a top-level declaration. */
  scope: string | null;
}

export type TypeModel =
  | (TypeCommon & { kind: "alias"; target: TypeRef })
  | (TypeCommon & { kind: "enum"; repr: PrimitiveName; open: boolean; members: EnumMember[]; reserved: ReservedValue[] })
  | (TypeCommon & { kind: "flags"; repr: PrimitiveName; members: EnumMember[]; reserved: ReservedValue[] })
  | (TypeCommon & { kind: "struct"; fields: FieldModel[] })
  | (TypeCommon & { kind: "variant"; tag: string; tagSize: number; payloadOffset: number; cases: CaseModel[] });

export interface ConstModel extends Gate {
  name: string;
  type: TypeRef;
  value: number | string;
  docs: string;
  span: Span;
  /** Module or "command" whose block declares it, or null for top level. */
  scope: string | null;
}

export interface ParamModel {
  name: string;
  type: TypeRef;
  docs: string;
  span: Span;
  /** The core wasm params this parameter lowers to (two for string/list/buffer). */
  core: CoreType[];
}

export interface OutValueModel {
  name: string;
  type: TypeRef;
  docs: string;
}

/**
 * What a function returning a plain scalar answers when it cannot succeed (`@sentinel`): `error`
 * when the implementation fails or a string argument is not UTF-8, `fault` when a pointer or
 * length argument names a range outside guest memory. Values are JSON-safe integers.
 */
export interface Sentinel {
  error: number | string;
  fault: number | string;
}

export type ResultModel =
  | { kind: "none" }
  | { kind: "noreturn" }
  /** `sentinel` is null only in a manifest of schema 1, written before `@sentinel` existed. */
  | { kind: "scalar"; type: TypeRef; sentinel: Sentinel | null }
  | { kind: "expected"; error: string; values: OutValueModel[] };

export type Status =
  | { kind: "provided" }
  | { kind: "stubbed"; errno: string; value: number }
  | { kind: "refused"; reason: string };

export interface FunctionModel extends Gate {
  name: string;
  import: { module: string; name: string };
  params: ParamModel[];
  result: ResultModel;
  /** Lowered core wasm signature; out-pointers are the trailing params. */
  core: { params: CoreType[]; results: CoreType[] };
  status: Status;
  compat: string | null;
  /**
   * `@deviation`: how the function differs from the specification its module follows (WASI
   * preview1 for `wasi_snapshot_preview1`), or null. Manifests written before it read as null.
   */
  deviation: string | null;
  /** Tiers that link this function, lowest first. */
  tiers: Tier[];
  docs: string;
  resultDocs: string;
  span: Span;
}

export interface ModuleModel extends Gate {
  name: string;
  aliases: string[];
  tier: Tier;
  /** `@deviation` of the module as a whole, or null (see FunctionModel.deviation). */
  deviation: string | null;
  functions: FunctionModel[];
  reservedFunctions: { name: string; span: Span }[];
  docs: string;
  span: Span;
}

export interface CommandExport {
  name: string;
  required: boolean;
  kind: "memory" | "func";
  params: CoreType[];
  results: CoreType[];
  docs: string;
  span: Span;
}

export interface CommandModel extends Gate {
  exports: CommandExport[];
  conventions: { name: string; docs: string; span: Span }[];
  docs: string;
  span: Span;
}

export interface ContractModel {
  schemaVersion: number;
  package: { name: string; version: string; docs: string; span: Span };
  /** Root file and every included file, root first, as given relative to the working directory. */
  files: string[];
  types: TypeModel[];
  constants: ConstModel[];
  modules: ModuleModel[];
  command: CommandModel | null;
  /** The functions the patched wasi-libc adds, replaces or stubs (empty without a `libc` block). */
  libc: LibcFunctionModel[];
  /** The libc block's headers, absent functions and docs, or null without a `libc` block. */
  libcSurface: LibcSurfaceModel | null;
}

// ---- the patched libc guests link against (abi/libc.idl) ----

/** How the patched libc differs from upstream wasi-libc for one function. */
export type LibcChange = "added" | "replaced" | "stubbed";
export const LIBC_CHANGES: readonly LibcChange[] = ["added", "replaced", "stubbed"];

/** How a header of the patched sysroot relates to upstream wasi-libc's. */
export type LibcHeaderChange = "upstream" | "patched" | "replaced" | "unomitted" | "added";
export const LIBC_HEADER_CHANGES: readonly LibcHeaderChange[] = ["upstream", "patched", "replaced", "unomitted", "added"];

export interface LibcFunctionModel extends Gate {
  name: string;
  /** The header that declares it, as included: `netdb.h`, `sys/wait.h`. */
  header: string;
  /** The C prototype as written in the contract. */
  prototype: string;
  /** The prototype's function type with names and top-level parameter qualifiers dropped: `int (int *)`. */
  cType: string;
  change: LibcChange;
  /** The host imports it calls, as `module.function`, in the order declared. */
  imports: string[];
  /** For a stub: what it returns, as C (`-1`, `0`, `NULL`); null otherwise. */
  returns: string | null;
  /** Members of `errno` it can set (or return) beyond those its imports answer. */
  errno: string[];
  /** How it differs from POSIX, one sentence each (prose for people). */
  deviations: string[];
  /** The libc patches or override files that make the change, e.g. `0001-pipe-dup`. */
  patches: string[];
  /** What a porter should use instead (libc functions or `module.function` imports); for stubs. */
  instead: string[];
  /** The tiers at which every import it calls is linked, lowest first. */
  tiers: Tier[];
  docs: string;
  span: Span;
}

export interface LibcHeaderModel extends Gate {
  name: string;
  change: LibcHeaderChange;
  docs: string;
  span: Span;
}

/** A function a porter might expect that the patched libc does not provide. */
export interface LibcAbsentModel extends Gate {
  name: string;
  header: string;
  instead: string[];
  docs: string;
  span: Span;
}

/** Everything of the libc block but its functions (those are the top-level `libc` array). */
export interface LibcSurfaceModel {
  docs: string;
  span: Span;
  headers: LibcHeaderModel[];
  absent: LibcAbsentModel[];
}
