// abic's programmatic API, the package's entry point (`import { compileFile } from "abic"`):
// compile a contract, generate every output, compare two contracts, verify a guest module, and
// format diagnostics and reports. The CLI's commands call these same functions.

import type { GeneratedFile } from "./gen/index.ts";
import type { TsOptions } from "./gen/options.ts";
import type { ContractModel } from "./model.ts";

export { compileFile, compileText, type Compilation } from "./index.ts";
export type { SourceReader } from "./source.ts";
export { formatDiagnostic, formatDiagnostics, hasErrors, type Diagnostic, type Severity } from "./diagnostics.ts";
export { diffContracts, type Bump, type DiffReport, type Finding, type FindingClass } from "./diff.ts";
export { formatReport as formatDiffReport } from "./commands/diff.ts";
export { verifyModule, type VerifyFinding, type VerifyOptions, type VerifyReport, type VerifyRule } from "./verify.ts";
export { classifyExecutable, type ExecutableKind } from "./wasm/reader.ts";
export { DEFAULT_TS_OPTIONS, OptionError, TS_OPTIONS, type ImportExtension, type TsEmit, type TsOptions } from "./gen/options.ts";
export type { GeneratedFile } from "./gen/index.ts";
export { SCHEMA_VERSION, TIERS } from "./model.ts";
export type * from "./model.ts";

export interface GenerateOptions {
  /** How the contract is named in every banner and regeneration hint; default `abi.idl`. */
  source?: string;
  /** Options of the TypeScript target (`abic gen --ts-opt`); unset ones take their defaults. */
  ts?: Partial<TsOptions>;
  /** The targets to run (`manifest`, `c`, `ts`, `rust`, `docs`, `html`, `report`); default: every default target. */
  targets?: readonly string[];
  /** Off-by-default targets to run as well (`abic gen --enable`), e.g. `["html"]`. */
  enable?: readonly string[];
}

/**
 * Renders every output of a checked model (C headers, TypeScript bindings, docs, manifest,
 * ABI report), as `abic gen` does, and returns the files (paths as in the default layout under
 * the output root: `c/wasi/api.h`, `abi.json`) without writing anything. A bad option or an
 * unknown target throws `OptionError`.
 */
export async function generate(model: ContractModel, options: GenerateOptions = {}): Promise<GeneratedFile[]> {
  // Loaded on use: the generators bring prettier and handlebars, which compiling does not need.
  const { generateAll } = await import("./gen/index.ts");
  const { resolveTsOptions, OptionError } = await import("./gen/options.ts");
  const { DEFAULT_TARGETS, TARGET_NAMES } = await import("./gen/targets.ts");
  const names = [...(options.targets ?? DEFAULT_TARGETS), ...(options.enable ?? [])];
  for (const t of names) if (!TARGET_NAMES.includes(t)) throw new OptionError(`unknown target \`${t}\` (expected ${TARGET_NAMES.join(", ")})`);
  return generateAll(model, { source: options.source ?? "abi.idl", ts: resolveTsOptions(options.ts) }, names);
}
