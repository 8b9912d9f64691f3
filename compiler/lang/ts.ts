// How the contract is spelt in TypeScript: the case conversions (types and members PascalCase,
// fields, methods and parameters camelCase, constants UPPER_CASE), the escapes that keep a name
// clear of reserved words and of the names the generated code declares or uses itself, the
// files the target writes, and the list of every name the target declares with the scope it
// is declared in. The TS target names everything through here; the checker (check-names.ts)
// rejects a contract two of whose names would be spelt the same in one scope.

import type { ContractModel, FunctionModel, TypeModel } from "../model.ts";
import { ClaimList, type NameClaim } from "./names.ts";
import { exhaustive } from "../query.ts";

/** JavaScript reserved words and the names strict mode forbids as bindings. */
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false " +
    "finally for function if import in instanceof new null return super switch this throw true try " +
    "typeof var void while with implements interface let package private protected public static " +
    "yield await arguments eval undefined"
  ).split(" "),
);

/**
 * Global names the generated files use (types, classes, namespaces); a contract type spelt like
 * one gets a `Type` suffix, so the generated code still reaches the global.
 */
const SHADOWED_GLOBALS = new Set([
  "Array",
  "BigInt",
  "Boolean",
  "DataView",
  "Error",
  "RangeError",
  "TypeError",
  "Map",
  "Number",
  "Object",
  "Promise",
  "Set",
  "String",
  "Symbol",
  "Uint8Array",
  "WebAssembly",
  "Partial",
  "IterableIterator",
  "Iterable",
  "Record",
  "Readonly",
  "Function",
]);

/** What contract.ts exports. */
export const CONTRACT_EXPORTS = ["TIERS", "Tier", "GLUE_ERRNO"];

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
export const INDEX_EXPORTS = ["createImports", "Implementations"];

/** Every name index.ts exports that the contract does not name: a contract name spelt so is escaped. */
const GENERATED_EXPORTS = new Set([...CONTRACT_EXPORTS, ...RUNTIME_EXPORTS, ...INDEX_EXPORTS]);

/** The files besides the module files; a module may not be named like one (E0221). */
export const TS_FIXED_FILES = ["runtime", "contract", "types", "index"];

function words(name: string): string[] {
  return name.split("_").filter((w) => w.length > 0);
}

/**
 * A converted name that is a valid identifier: `_2big` for `2big`; a name of underscores only
 * (nothing to convert) keeps its underscores and gains one, `_` -> `__`.
 */
function safeIdentifier(converted: string, original: string): string {
  if (converted === "") return `${original}_`;
  return /^[0-9]/.test(converted) ? `_${converted}` : converted;
}

/** `fd_write` -> `FdWrite`; `2big` -> `_2big`. Types, enum and flags members, interfaces. */
export function pascalCase(name: string): string {
  return safeIdentifier(
    words(name)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(""),
    name,
  );
}

/** `buf_len` -> `bufLen`: fields, methods, parameters, implementation keys. */
export function camelCase(name: string): string {
  // Most names are one word (`data`, `fd`): they are their own camelCase. (Asked for every
  // parameter and method of a contract, by the checker and by the targets.)
  if (!name.includes("_")) return safeIdentifier(name, name);
  const camel = words(name)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join("");
  return safeIdentifier(camel, name);
}

/** A camelCase name usable as a parameter (reserved words get a trailing `_`). */
export function parameterName(name: string): string {
  const camel = camelCase(name);
  return RESERVED_WORDS.has(camel) || camel === "ctx" ? `${camel}_` : camel;
}

/** `dircookie_start` -> `DIRCOOKIE_START`; a name index.ts already exports gets a trailing `_`. */
export function constantName(name: string): string {
  const upper = safeIdentifier(name.toUpperCase(), name);
  return GENERATED_EXPORTS.has(upper) ? `${upper}_` : upper;
}

/** A type or interface name: PascalCase, with a `Type` suffix where it would hide a global or a generated export. */
export function typeName(name: string): string {
  const pascal = pascalCase(name);
  return SHADOWED_GLOBALS.has(pascal) || GENERATED_EXPORTS.has(pascal) || GENERATED_EXPORTS.has(`${pascal}List`) ? `${pascal}Type` : pascal;
}

/** The file of an import module (without extension). */
export function moduleFile(m: { name: string }): string {
  return m.name;
}

/** index.ts's local for a module's import object: `$` keeps it clear of every contract name. */
export function implLocal(m: { name: string }): string {
  return `$${camelCase(m.name)}`;
}

/** The interface of a function's out-values, when it has several. */
export function resultTypeName(fn: { name: string }): string {
  return `${pascalCase(fn.name)}Result`;
}

/** The names types.ts declares for a type besides its own: list class, layout, accessors. */
export function recordCompanions(name: string): string[] {
  return [`${name}List`, `${name}Layout`, `load${name}`, `store${name}`, `read${name}`, `write${name}`];
}

/**
 * The enum the glue's own errnos (GLUE_ERRNO: fault, io, ilseq, inval) come from: `errno` when
 * it has all four, else the first error enum of a `result<T, E>` (the checker requires them
 * there), else none (the runtime then uses preview1's numbers).
 */
export function glueErrnoSource(model: Pick<ContractModel, "types" | "modules">): (TypeModel & { kind: "enum" }) | null {
  const has = (t: TypeModel | undefined): t is TypeModel & { kind: "enum" } =>
    t?.kind === "enum" && GLUE_ERRNO_MEMBERS.every((m) => t.members.some((x) => x.name === m));
  const errno = model.types.find((t) => t.name === "errno");
  if (has(errno)) return errno;
  for (const m of model.modules)
    for (const f of m.functions)
      if (f.result.kind === "expected") {
        const name = f.result.error;
        const e = model.types.find((t) => t.name === name);
        if (has(e)) return e;
      }
  return null;
}

/** The errno members the generated glue answers with itself. */
export const GLUE_ERRNO_MEMBERS = ["fault", "io", "ilseq", "inval"] as const;

/** Preview1's numbers for the glue's errnos, for a contract without an errno enum. */
export const PREVIEW1_GLUE_ERRNO: Record<(typeof GLUE_ERRNO_MEMBERS)[number], number> = { fault: 21, io: 29, ilseq: 25, inval: 28 };

/** True when the glue of `fn` is generated (a provided function some tier links). */
export function hasGlue(fn: FunctionModel): boolean {
  return fn.status.kind === "provided" && fn.tiers.length > 0;
}

// ---- every name the target declares

const TS_GLOBAL = "the exports of the TypeScript bindings (index.ts)";

/** Every name the TypeScript target declares for the contract, by scope. */
export function tsNameClaims(model: ContractModel): NameClaim[] {
  const list = new ClaimList();
  const claim = list.claim.bind(list);
  for (const t of model.types) {
    const name = typeName(t.name);
    claim(name, TS_GLOBAL, `type \`${t.name}\``, t.span);
    switch (t.kind) {
      case "alias":
        break;
      case "enum":
      case "flags":
        for (const m of t.members) claim(pascalCase(m.name), `the members of \`${t.name}\` in TypeScript`, `member \`${t.name}::${m.name}\``, m.span);
        break;
      case "struct":
        for (const c of recordCompanions(name)) claim(c, TS_GLOBAL, `type \`${t.name}\``, t.span);
        for (const f of t.fields) claim(camelCase(f.name), `the fields of \`${t.name}\` in TypeScript`, `field \`${t.name}.${f.name}\``, f.span);
        break;
      case "variant":
        for (const c of recordCompanions(name)) claim(c, TS_GLOBAL, `type \`${t.name}\``, t.span);
        break;
      default:
        exhaustive(t);
    }
  }
  for (const c of model.constants) claim(constantName(c.name), TS_GLOBAL, `constant \`${c.name}\``, c.span);
  for (const m of model.modules) {
    claim(typeName(m.name), TS_GLOBAL, `module \`${m.name}\``, m.span);
    claim(`link${pascalCase(m.name)}`, TS_GLOBAL, `module \`${m.name}\``, m.span);
    claim(camelCase(m.name), "the modules of `Implementations` in TypeScript", `module \`${m.name}\``, m.span);
    for (const f of m.functions) {
      if (!hasGlue(f)) continue;
      const owner = `function \`${m.name}.${f.name}\``;
      claim(camelCase(f.name), `the methods of \`${m.name}\` in TypeScript`, owner, f.span);
      for (const p of f.params) claim(parameterName(p.name), `the parameters of \`${m.name}.${f.name}\` in TypeScript`, `parameter \`${f.name}.${p.name}\``, p.span);
      if (f.result.kind === "expected" && f.result.values.length > 1) {
        claim(resultTypeName(f), TS_GLOBAL, owner, f.span);
        for (const v of f.result.values) claim(camelCase(v.name), `the out-values of \`${m.name}.${f.name}\` in TypeScript`, `out-value \`${f.name}.${v.name}\``, f.span);
      }
    }
  }
  return list.claims;
}

/** Module names the TypeScript target cannot use: its own files (`<module>.ts` sits beside them). */
export function tsReservedModule(name: string): string | null {
  return TS_FIXED_FILES.includes(moduleFile({ name })) ? `the TypeScript bindings' own ${name}.ts` : null;
}

/** The registry the TS target claims its exported names in: a second claim is a bug the checker should have caught. */
export class NameRegistry {
  private readonly owners = new Map<string, string>();
  claim(name: string, owner: string): string {
    const previous = this.owners.get(name);
    if (previous !== undefined) throw new Error(`ts target: \`${name}\` is generated for both ${previous} and ${owner}`);
    this.owners.set(name, owner);
    return name;
  }
}
