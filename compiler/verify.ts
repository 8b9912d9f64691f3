// The guest check: a compiled command module's imports and exports against the contract the
// host serves, at the host's tier and enabled features, by the rules of rules.ts (VERIFY_RULES;
// the policy is the generated stability page). Never throws on bad input.

import { coreSignature } from "./idl-text.ts";
import type { CommandExport, ContractModel, CoreType, FunctionModel, Tier } from "./model.ts";
import { ModelQuery } from "./query.ts";
import { VERIFY_RULES, type VerifyRule, type VerifySeverity } from "./rules.ts";
import { compareVersions, maxVersion } from "./semver.ts";
import { didYouMean } from "./suggest.ts";
import { classifyExecutable, readModule, WasmFormatError, type FuncType, type WasmModuleInfo } from "./wasm/reader.ts";

export type { VerifyRule } from "./rules.ts";

export interface VerifyFinding {
  rule: VerifyRule;
  /** The rule's severity in the catalog. */
  severity: VerifySeverity;
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

/** The command contract's refusal limits, as its command block declares them (null: no limit). */
export interface CommandLimits {
  /** `const module_size_max`: the largest module file, in bytes. */
  moduleBytes: number | null;
  /** `const import_count_max`: the most entries in the import section. */
  imports: number | null;
}

export function commandLimits(model: ContractModel): CommandLimits {
  const limit = (name: string): number | null => {
    const c = model.constants.find((x) => x.scope === "command" && x.name === name);
    return c === undefined ? null : Number(c.value);
  };
  return { moduleBytes: limit("module_size_max"), imports: limit("import_count_max") };
}

export function verifyModule(bytes: Uint8Array, model: ContractModel, opts: VerifyOptions): VerifyReport {
  const findings: VerifyFinding[] = [];
  const report = () => finish(findings, [], []);

  const kind = classifyExecutable(bytes);
  if (kind !== "wasm") {
    findings.push(finding("MOD_FORMAT", `not a wasm module: ${EXECUTABLE_KINDS[kind]}`));
    return report();
  }
  const limits = commandLimits(model);
  if (limits.moduleBytes !== null && bytes.length > limits.moduleBytes) {
    findings.push(finding("MOD_LIMITS", `module is ${bytes.length} bytes; the limit is ${limits.moduleBytes} (module_size_max)`));
    return report();
  }
  let info: WasmModuleInfo;
  try {
    info = readModule(bytes);
  } catch (caught) {
    if (!(caught instanceof WasmFormatError)) throw caught;
    findings.push(finding("MOD_FORMAT", `malformed wasm module: ${caught.message}`));
    return report();
  }
  if (limits.imports !== null && info.imports.length > limits.imports) {
    findings.push(finding("MOD_LIMITS", `module has ${info.imports.length} imports; the limit is ${limits.imports} (import_count_max)`));
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
  const query = new ModelQuery(model);
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

    const module = query.moduleByImport(imp.module);
    if (!module) {
      add(finding("IMP_MODULE_KNOWN", `${label}: import module \`${imp.module}\` is not in the contract${didYouMean(imp.module, query.moduleImports())}`));
      continue;
    }
    if (module.reservedFunctions.some((reserved) => reserved.name === imp.name)) {
      add(finding("IMP_NAME_REMOVED", `${label} was removed from module \`${module.name}\`; the name is reserved`));
      continue;
    }
    const fn = module.functions.find((candidate) => candidate.import.name === imp.name);
    if (!fn) {
      add(finding("IMP_NAME_EXISTS", `${label}: module \`${module.name}\` has no function \`${imp.name}\`${didYouMean(imp.name, module.functions.map((f) => f.import.name))}`));
      continue;
    }
    used.add(fn);
    if (imp.kind !== "func") {
      add(finding("IMP_KIND_MATCH", `${label} is imported as a ${imp.kind}, but the contract declares a function`));
    } else if (imp.type && !sameSignature(imp.type, fn.core)) {
      add(finding("IMP_SIG_EXACT", `${label}: expected ${coreSignature(fn.core)}, found ${coreSignature(imp.type)}`));
    }

    if (fn.status.kind === "refused") {
      add(finding("IMP_REFUSED", `${label} is refused by the host (not linked): ${fn.status.reason}`));
    }
    if (fn.since !== null && compareVersions(fn.since, hostVersion) > 0) {
      add(finding("IMP_NAME_TOO_NEW", `${label} requires ABI ${fn.since} (host ${hostVersion})`));
    }
    if (fn.unstable !== null && !opts.features.includes(fn.unstable)) {
      add(
        finding(
          "IMP_UNSTABLE_GATED",
          `${label} is unstable and needs feature \`${fn.unstable}\`, which the host does not enable`,
        ),
      );
    }
    if (!fn.tiers.includes(opts.tier)) {
      const linkedAt = fn.tiers.length > 0 ? `linked at: ${fn.tiers.join(", ")}` : "not linked at any tier";
      add(finding("IMP_TIER", `${label} is not linked at tier ${opts.tier} (${linkedAt})`));
    }
    const deprecation = deprecationNote(fn);
    if (deprecation) add(finding("IMP_DEPRECATED", `${label} ${deprecation}`));
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
        findings.push(finding("EXP_REQUIRED", `required ${label} (${describeExport(expected)}) is missing`));
    } else if (found.kind !== expected.kind) {
      findings.push(finding("EXP_REQUIRED", `${label} is a ${found.kind}; expected ${describeExport(expected)}`));
    } else if (expected.kind === "func" && found.type && !sameSignature(found.type, expected)) {
      findings.push(
        finding("EXP_REQUIRED", `${label}: expected ${coreSignature(expected)}, found ${coreSignature(found.type)}`),
      );
    }
  }
}

function describeExport(exp: CommandExport): string {
  return exp.kind === "memory" ? "a memory" : `a func ${coreSignature(exp)}`;
}

function sameSignature(found: FuncType, expected: { params: CoreType[]; results: CoreType[] }): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
  return same(found.params, expected.params) && same(found.results, expected.results);
}

function finish(findings: VerifyFinding[], sinces: string[], features: string[]): VerifyReport {
  return {
    ok: findings.every((finding) => finding.severity !== "error"),
    findings,
    requiredVersion: maxVersion(sinces),
    features: [...new Set(features)].sort(),
  };
}

/** A finding of `rule`, with the severity the catalog gives it. */
function finding(rule: VerifyRule, message: string): VerifyFinding {
  return { rule, severity: VERIFY_RULES[rule].severity, message };
}
