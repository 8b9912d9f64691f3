// The shape of a JSON manifest, declared once as a schema the TypeScript compiler holds to the
// model's types (each object schema must name every field of its interface, with a schema of
// that field's type), and the reader that walks a parsed document with it. A value that does
// not fit fails with the JSON path of the first bad value (`$.types[3].fields[0].offset`) and
// what was expected there, so a damaged manifest is a diagnostic, never a crash in `abic diff`.
// Fields that older schemas lack (`deviation`, `sentinel`, the libc surface) read as absent.

import { MAX_NESTING } from "./source.ts";
import {
  LIBC_CHANGES,
  LIBC_HEADER_CHANGES,
  TIERS,
  type CommandExport,
  type CommandModel,
  type ConstModel,
  type ContractModel,
  type CoreType,
  type Deprecation,
  type EnumMember,
  type FieldModel,
  type FunctionModel,
  type LibcAbsentModel,
  type LibcFunctionModel,
  type LibcHeaderModel,
  type LibcSurfaceModel,
  type ModuleModel,
  type OutValueModel,
  type ParamModel,
  type PrimitiveName,
  type ReservedValue,
  type ResultModel,
  type Sentinel,
  type Span,
  type Status,
  type TypeModel,
  type TypeRef,
} from "./model.ts";
import { isVersion } from "./semver.ts";

/** A value that does not fit the schema, at a JSON path. */
export class SchemaError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: expected ${expected}`);
  }
}

/** Reads a value of type T at a path, or throws SchemaError. */
export type Schema<T> = (value: unknown, path: string) => T;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new SchemaError(path, `${expected}, found ${describe(got)}`);
}

const str: Schema<string> = (v, p) => (typeof v === "string" ? v : fail(p, "a string", v));
const bool: Schema<boolean> = (v, p) => (typeof v === "boolean" ? v : fail(p, "true or false", v));

/** A non-negative integer (a size, an offset, a line). */
const count: Schema<number> = (v, p) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : fail(p, "a non-negative integer", v));
/** A 1-based position. */
const position: Schema<number> = (v, p) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 1 ? v : fail(p, "a line or column (1 or more)", v));

/** A JSON-safe integer: a number when exact, else its decimal string (model.ts). */
const bigInt: Schema<number | string> = (v, p) =>
  (typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && /^-?[0-9]{1,40}$/.test(v))
    ? v
    : fail(p, "an integer (a number, or a decimal string beyond 2^53)", v);

function oneOf<T extends string>(values: readonly T[]): Schema<T> {
  return (v, p) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(p, values.map((x) => JSON.stringify(x)).join(" | "), v));
}

const version: Schema<string> = (v, p) => (typeof v === "string" && isVersion(v) ? v : fail(p, "a version MAJOR.MINOR.PATCH", v));

function nullable<T>(s: Schema<T>): Schema<T | null> {
  return (v, p) => (v === null ? null : s(v, p));
}

/** A field older manifests lack: absent reads as `fallback`. */
function absentAs<T>(s: Schema<T>, fallback: T): Schema<T> {
  return (v, p) => (v === undefined ? fallback : s(v, p));
}

function array<T>(s: Schema<T>): Schema<T[]> {
  return (v, p) => (Array.isArray(v) ? v.map((x, i) => s(x, `${p}[${i}]`)) : fail(p, "an array", v));
}

/** An array whose entries have distinct `name`s (a duplicated entry is damage, not a second item). */
function named<T extends { name: string }>(s: Schema<T>): Schema<T[]> {
  const items = array(s);
  return (v, p) => {
    const out = items(v, p);
    const seen = new Set<string>();
    out.forEach((x, i) => {
      if (seen.has(x.name)) fail(`${p}[${i}].name`, "a name not used by an earlier entry", x.name);
      seen.add(x.name);
    });
    return out;
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every field of T, each with a schema of its type; fields the manifest adds beyond these are ignored. */
type Fields<T> = { [K in keyof T]-?: Schema<T[K]> };

function object<T>(fields: Fields<T>): Schema<T> {
  return (v, p) => {
    if (!isRecord(v)) return fail(p, "an object", v);
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(fields) as [string, Schema<unknown>][]) out[key] = schema(v[key], `${p}.${key}`);
    return out as T;
  };
}

/** A union discriminated by `kind`: one object schema per kind. */
function byKind<T extends { kind: string }>(schemas: { [K in T["kind"]]: Schema<Extract<T, { kind: K }>> }): Schema<T> {
  const kinds = Object.keys(schemas);
  return (v, p) => {
    if (!isRecord(v)) return fail(p, "an object", v);
    const schema = (schemas as Record<string, Schema<T> | undefined>)[String(v.kind)];
    if (typeof v.kind !== "string" || schema === undefined) return fail(`${p}.kind`, kinds.map((k) => JSON.stringify(k)).join(" | "), v.kind);
    return schema(v, p);
  };
}

// ---- the model's parts

const span = object<Span>({ file: str, line: position, column: position, endLine: position, endColumn: position });

const PRIMITIVE_NAMES: readonly PrimitiveName[] = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "bool", "char8", "usize", "handle"];
const primitive = oneOf(PRIMITIVE_NAMES);
const coreType = oneOf<CoreType>(["i32", "i64", "f32", "f64"]);
const tier = oneOf(TIERS);

/** A type reference; nested at most MAX_NESTING deep, as the IDL allows. */
function typeRef(depth: number): Schema<TypeRef> {
  return (v, p) => {
    if (depth > MAX_NESTING) return fail(p, `a type nested at most ${MAX_NESTING} levels deep`, v);
    const inner = typeRef(depth + 1);
    return byKind<TypeRef>({
      primitive: object({ kind: oneOf(["primitive"] as const), name: primitive }),
      named: object({ kind: oneOf(["named"] as const), name: str }),
      ptr: object({ kind: oneOf(["ptr"] as const), const: bool, to: inner }),
      string: object({ kind: oneOf(["string"] as const) }),
      list: object({ kind: oneOf(["list"] as const), of: inner }),
      buffer: object({ kind: oneOf(["buffer"] as const), of: inner }),
    })(v, p);
  };
}
const type = typeRef(0);

const deprecation = object<Deprecation>({ since: version, use: nullable(str), note: nullable(str) });
const gate = { since: nullable(version), unstable: nullable(str), deprecated: nullable(deprecation) };
const member = object<EnumMember>({ name: str, value: bigInt, docs: str, span });
const reserved = object<ReservedValue>({ name: str, value: bigInt, span });
const typeCommon = { name: str, docs: str, span, scope: nullable(str), size: count, align: count, ...gate };

const typeModel = byKind<TypeModel>({
  alias: object({ ...typeCommon, kind: oneOf(["alias"] as const), target: type }),
  enum: object({ ...typeCommon, kind: oneOf(["enum"] as const), repr: primitive, open: bool, members: named(member), reserved: array(reserved) }),
  flags: object({ ...typeCommon, kind: oneOf(["flags"] as const), repr: primitive, members: named(member), reserved: array(reserved) }),
  struct: object({
    ...typeCommon,
    kind: oneOf(["struct"] as const),
    fields: named(object<FieldModel>({ name: str, type, offset: count, size: count, align: count, docs: str, span })),
  }),
  variant: object({
    ...typeCommon,
    kind: oneOf(["variant"] as const),
    tag: str,
    tagSize: count,
    payloadOffset: count,
    cases: named(object({ name: str, tag: count, payload: nullable(type), docs: str, span })),
  }),
});

const constModel = object<ConstModel>({ name: str, type, value: bigInt, docs: str, span, scope: nullable(str), ...gate });

const sentinel = object<Sentinel>({ error: bigInt, fault: bigInt });
const result = byKind<ResultModel>({
  none: object({ kind: oneOf(["none"] as const) }),
  noreturn: object({ kind: oneOf(["noreturn"] as const) }),
  scalar: object({ kind: oneOf(["scalar"] as const), type, sentinel: absentAs(nullable(sentinel), null) }),
  expected: object({ kind: oneOf(["expected"] as const), error: str, values: array(object<OutValueModel>({ name: str, type, docs: str })) }),
});
const status = byKind<Status>({
  provided: object({ kind: oneOf(["provided"] as const) }),
  stubbed: object({ kind: oneOf(["stubbed"] as const), errno: str, value: count }),
  refused: object({ kind: oneOf(["refused"] as const), reason: str }),
});

const functionModel = object<FunctionModel>({
  name: str,
  import: object({ module: str, name: str }),
  params: array(object<ParamModel>({ name: str, type, docs: str, span, core: array(coreType) })),
  result,
  core: object({ params: array(coreType), results: array(coreType) }),
  status,
  compat: nullable(str),
  deviation: absentAs(nullable(str), null),
  tiers: array(tier),
  docs: str,
  resultDocs: str,
  span,
  ...gate,
});

const moduleModel = object<ModuleModel>({
  name: str,
  aliases: array(str),
  tier,
  deviation: absentAs(nullable(str), null),
  functions: named(functionModel),
  reservedFunctions: array(object({ name: str, span })),
  docs: str,
  span,
  ...gate,
});

const commandModel = object<CommandModel>({
  exports: named(
    object<CommandExport>({ name: str, required: bool, kind: oneOf(["memory", "func"] as const), params: array(coreType), results: array(coreType), docs: str, span }),
  ),
  conventions: array(object({ name: str, docs: str, span })),
  docs: str,
  span,
  ...gate,
});

const libcFunction = object<LibcFunctionModel>({
  name: str,
  header: str,
  prototype: str,
  cType: str,
  change: oneOf(LIBC_CHANGES),
  imports: array(str),
  returns: nullable(str),
  errno: array(str),
  deviations: array(str),
  patches: array(str),
  instead: array(str),
  tiers: array(tier),
  docs: str,
  span,
  ...gate,
});

const libcSurface = object<LibcSurfaceModel>({
  docs: str,
  span,
  headers: named(object<LibcHeaderModel>({ name: str, change: oneOf(LIBC_HEADER_CHANGES), docs: str, span, ...gate })),
  absent: named(object<LibcAbsentModel>({ name: str, header: str, instead: array(str), docs: str, span, ...gate })),
});

/** The whole manifest; `schemaVersion` is checked by the caller before the rest is read. */
export const contractSchema: Schema<ContractModel> = object<ContractModel>({
  schemaVersion: (v, p) => (v === 1 || v === 2 ? v : fail(p, "1 or 2", v)),
  package: object({ name: str, version, docs: str, span }),
  files: array(str),
  types: named(typeModel),
  constants: named(constModel),
  modules: named(moduleModel),
  command: nullable(commandModel),
  libc: absentAs(named(libcFunction), []),
  libcSurface: absentAs(nullable(libcSurface), null),
});
