// The guest check (stability-rules B8): a compiled command module's imports and exports against
// the contract the host serves, at the host's tier and enabled features. Never throws on bad input.

import type { CommandExport, ContractModel, CoreType, FunctionModel, ModuleModel, Tier } from "./model.ts";
import { compareVersions, maxVersion } from "./semver.ts";
import { suggest } from "./suggest.ts";
import { classifyExecutable, readModule, WasmFormatError, type FuncType, type WasmModuleInfo } from "./wasm/reader.ts";

export type VerifyRule =
  | "MOD_FORMAT"
  | "MOD_LIMITS"
  | "IMP_MODULE_KNOWN"
  | "IMP_NAME_EXISTS"
  | "IMP_NAME_REMOVED"
  | "IMP_KIND_MATCH"
  | "IMP_SIG_EXACT"
  | "IMP_NAME_TOO_NEW"
  | "IMP_UNSTABLE_GATED"
  | "IMP_REFUSED"
  | "IMP_TIER"
  | "IMP_DEPRECATED"
  | "EXP_REQUIRED";

export interface VerifyFinding {
  rule: VerifyRule;
  severity: "error" | "warning";
  message: string;
  import?: { module: string; name: string };
}

export interface VerifyReport {
  /** True when there is no error finding (warnings allowed). */
  ok: boolean;
  findings: VerifyFinding[];
  /** The highest `@since` among the contract functions imported, or null when none is versioned. */
  requiredVersion: string | null;
  /** Unstable features of the contract functions imported, sorted. */
  features: string[];
}

export interface VerifyOptions {
  tier: Tier;
  features: string[];
}

/** The command contract's refusal limits (agentos-abi.md §5). */
export const MAX_MODULE_BYTES = 256 * 1024 * 1024;
export const MAX_IMPORTS = 16384;

export function verifyModule(bytes: Uint8Array, model: ContractModel, opts: VerifyOptions): VerifyReport {
  const findings: VerifyFinding[] = [];
  const report = () => finish(findings, [], []);

  const kind = classifyExecutable(bytes);
  if (kind !== "wasm") {
    findings.push(error("MOD_FORMAT", `not a wasm module: ${EXECUTABLE_KINDS[kind]}`));
    return report();
  }
  if (bytes.length > MAX_MODULE_BYTES) {
    findings.push(error("MOD_LIMITS", `module is ${bytes.length} bytes; the limit is ${MAX_MODULE_BYTES} (256 MiB)`));
    return report();
  }
  let info: WasmModuleInfo;
  try {
    info = readModule(bytes);
  } catch (caught) {
    if (!(caught instanceof WasmFormatError)) throw caught;
    findings.push(error("MOD_FORMAT", `malformed wasm module: ${caught.message}`));
    return report();
  }
  if (info.imports.length > MAX_IMPORTS) {
    findings.push(error("MOD_LIMITS", `module has ${info.imports.length} imports; the limit is ${MAX_IMPORTS}`));
  }

  const used = checkImports(info, model, opts, findings);
  checkExports(info, model, findings);
  return finish(
    findings,
    used.flatMap((fn) => (fn.since === null ? [] : [fn.since])),
    used.flatMap((fn) => (fn.unstable === null ? [] : [fn.unstable])),
  );
}

const EXECUTABLE_KINDS = {
  wasm: "a wasm module",
  shebang: "a `#!` script; commands must be compiled to wasm",
  elf: "a native ELF binary",
  macho: "a native Mach-O binary",
  pe: "a native PE (Windows) binary",
  unknown: "the file does not start with the wasm magic `\\0asm`",
} as const;

/** Checks every import; returns the contract functions the module imports. */
function checkImports(
  info: WasmModuleInfo,
  model: ContractModel,
  opts: VerifyOptions,
  findings: VerifyFinding[],
): FunctionModel[] {
  // A module is found by its name or any alias (`wasi_unstable` serves `wasi_snapshot_preview1`).
  const modules = new Map<string, ModuleModel>();
  for (const module of model.modules) {
    for (const name of [module.name, ...module.aliases]) modules.set(name, module);
  }
  const hostVersion = model.package.version;
  const used = new Set<FunctionModel>();
  const seen = new Set<string>();

  for (const imp of info.imports) {
    const where = { module: imp.module, name: imp.name };
    const label = `\`${imp.module}.${imp.name}\``;
    const add = (finding: VerifyFinding) => {
      // Repeated imports of one name report each finding once.
      const key = `${finding.rule}\0${imp.module}\0${imp.name}\0${finding.message}`;
      if (!seen.has(key)) findings.push({ ...finding, import: where });
      seen.add(key);
    };

    const module = modules.get(imp.module);
    if (!module) {
      add(error("IMP_MODULE_KNOWN", `${label}: import module \`${imp.module}\` is not in the contract${didYouMean(imp.module, modules.keys())}`));
      continue;
    }
    if (module.reservedFunctions.some((reserved) => reserved.name === imp.name)) {
      add(error("IMP_NAME_REMOVED", `${label} was removed from module \`${module.name}\`; the name is reserved`));
      continue;
    }
    const fn = module.functions.find((candidate) => candidate.import.name === imp.name);
    if (!fn) {
      add(
        error(
          "IMP_NAME_EXISTS",
          `${label}: module \`${module.name}\` has no function \`${imp.name}\`${didYouMean(imp.name, module.functions.map((f) => f.import.name))}`,
        ),
      );
      continue;
    }
    used.add(fn);
    if (imp.kind !== "func") {
      add(error("IMP_KIND_MATCH", `${label} is imported as a ${imp.kind}, but the contract declares a function`));
    } else if (imp.type && !sameSignature(imp.type, fn.core)) {
      add(error("IMP_SIG_EXACT", `${label}: expected ${formatSignature(fn.core)}, found ${formatSignature(imp.type)}`));
    }

    if (fn.status.kind === "refused") {
      add(error("IMP_REFUSED", `${label} is refused by the host (not linked): ${fn.status.reason}`));
    }
    if (fn.since !== null && compareVersions(fn.since, hostVersion) > 0) {
      add(error("IMP_NAME_TOO_NEW", `${label} requires ABI ${fn.since} (host ${hostVersion})`));
    }
    if (fn.unstable !== null && !opts.features.includes(fn.unstable)) {
      add(
        error(
          "IMP_UNSTABLE_GATED",
          `${label} is unstable and needs feature \`${fn.unstable}\`, which the host does not enable`,
        ),
      );
    }
    if (!fn.tiers.includes(opts.tier)) {
      const linkedAt = fn.tiers.length > 0 ? `linked at: ${fn.tiers.join(", ")}` : "not linked at any tier";
      add(error("IMP_TIER", `${label} is not linked at tier ${opts.tier} (${linkedAt})`));
    }
    const deprecation = deprecationNote(fn);
    if (deprecation) add(warning("IMP_DEPRECATED", `${label} ${deprecation}`));
  }
  return [...used];
}

function deprecationNote(fn: FunctionModel): string | null {
  if (fn.deprecated) {
    const { since, use, note } = fn.deprecated;
    return [`is deprecated since ${since}`, use && `use \`${use}\` instead`, note].filter(Boolean).join("; ");
  }
  if (fn.compat === null) return null;
  return `is kept for existing guests (${fn.compat}); new guests should use the canonical function`;
}

/** Each export the command block lists: required ones must exist, present ones must have its type. */
function checkExports(info: WasmModuleInfo, model: ContractModel, findings: VerifyFinding[]): void {
  for (const expected of model.command?.exports ?? []) {
    const found = info.exports.find((exp) => exp.name === expected.name);
    const label = `export \`${expected.name}\``;
    if (!found) {
      if (expected.required)
        findings.push(error("EXP_REQUIRED", `required ${label} (${describeExport(expected)}) is missing`));
    } else if (found.kind !== expected.kind) {
      findings.push(error("EXP_REQUIRED", `${label} is a ${found.kind}; expected ${describeExport(expected)}`));
    } else if (expected.kind === "func" && found.type && !sameSignature(found.type, expected)) {
      findings.push(
        error("EXP_REQUIRED", `${label}: expected ${formatSignature(expected)}, found ${formatSignature(found.type)}`),
      );
    }
  }
}

function describeExport(exp: CommandExport): string {
  return exp.kind === "memory" ? "a memory" : `a func ${formatSignature(exp)}`;
}

function sameSignature(found: FuncType, expected: { params: CoreType[]; results: CoreType[] }): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
  return same(found.params, expected.params) && same(found.results, expected.results);
}

/** `(i32 i32) -> (i32)`, the form wasm tools print function types in. */
export function formatSignature(type: { params: readonly string[]; results: readonly string[] }): string {
  return `(${type.params.join(" ")}) -> (${type.results.join(" ")})`;
}

function finish(findings: VerifyFinding[], sinces: string[], features: string[]): VerifyReport {
  return {
    ok: findings.every((finding) => finding.severity !== "error"),
    findings,
    requiredVersion: maxVersion(sinces),
    features: [...new Set(features)].sort(),
  };
}

function error(rule: VerifyRule, message: string): VerifyFinding {
  return { rule, severity: "error", message };
}

function warning(rule: VerifyRule, message: string): VerifyFinding {
  return { rule, severity: "warning", message };
}

function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = suggest(name, candidates);
  return best === null ? "" : `; did you mean \`${best}\`?`;
}
