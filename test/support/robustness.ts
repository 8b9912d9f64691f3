// The robustness properties, as functions the property tests and the fuzz campaign share:
// a contract text is checked (never throwing), an accepted one generated (never throwing), and
// batches of generated outputs compiled with the real toolchains: the C headers with clang for
// wasm32 (C11 strict, and as C++), a layout program written straight from the model (so clang
// checks the layout engine independently of the C generator), the TypeScript in one strict tsc
// program per batch, and the Rust crate with rustc `-D warnings`.

import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { compileText } from "../../compiler/index.ts";
import { diffContracts } from "../../compiler/diff.ts";
import { generateAll, type GeneratedFile } from "../../compiler/gen/index.ts";
import { cFeatureMacro } from "../../compiler/lang/c.ts";
import { rustFeatures, rustCrateName } from "../../compiler/gen/rust.ts";
import type { ContractModel } from "../../compiler/model.ts";
import { compileRust, wasiClang } from "../../scripts/toolchain.ts";
import { layoutProgram } from "./layout-program.ts";
import { STRICT_COMPILER_OPTIONS } from "./strict-tsconfig.ts";

export type Outcome =
  | "rejected"
  | "accepted"
  | "crash:check"
  | "crash:gen"
  | "crash:diff"
  | "fail:c"
  | "fail:c++"
  | "fail:layout"
  | "fail:ts"
  | "fail:rust";

export interface Checked {
  text: string;
  outcome: "rejected" | "accepted" | "crash:check" | "crash:gen";
  model: ContractModel | null;
  files: GeneratedFile[];
  /** The error of a crash. */
  error: string | null;
  /** How long check and gen took (gen 0 when not run). */
  checkMs: number;
  genMs: number;
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Checks a text and generates every output of an accepted one; a throw is a crash, reported not raised. */
export async function checkAndGenerate(text: string, generate = true, file = "contract.idl"): Promise<Checked> {
  const base = { text, model: null, files: [], error: null, checkMs: 0, genMs: 0 };
  const t0 = performance.now();
  let model: ContractModel | null;
  try {
    model = compileText(text, file).model;
  } catch (e) {
    return { ...base, outcome: "crash:check", error: errorText(e), checkMs: performance.now() - t0 };
  }
  const checkMs = performance.now() - t0;
  if (model === null) return { ...base, outcome: "rejected", checkMs };
  if (!generate) return { ...base, outcome: "accepted", model, checkMs };
  const t1 = performance.now();
  try {
    const files = await generateAll(model, { source: file });
    return { ...base, outcome: "accepted", model, files, checkMs, genMs: performance.now() - t1 };
  } catch (e) {
    return { ...base, outcome: "crash:gen", model, error: errorText(e), checkMs, genMs: performance.now() - t1 };
  }
}

/** Diffs two models both ways; the error of a throw, or null. */
export function diffBothWays(a: ContractModel, b: ContractModel): string | null {
  try {
    diffContracts(a, b);
    diffContracts(b, a);
    return null;
  } catch (e) {
    return errorText(e);
  }
}

export interface BatchCase {
  id: string;
  model: ContractModel;
  files: GeneratedFile[];
}

export interface BatchFailure {
  id: string;
  outcome: Extract<Outcome, `fail:${string}`>;
  detail: string;
}

export interface BatchOptions {
  c?: boolean;
  ts?: boolean;
  /** How many cases of the batch get their Rust crate built (rustc runs once per crate). */
  rust?: number;
}

const C_STRICT = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only"];
const CXX = ["-x", "c++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"];

function features(model: ContractModel): string[] {
  const items = [...model.types, ...model.constants, ...model.modules, ...model.modules.flatMap((m) => m.functions)];
  return [...new Set(items.map((i) => i.unstable).filter((f): f is string => f !== null))].sort();
}

function clang(args: string[]): string | null {
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, ...args], { encoding: "utf8" });
  if (run.error) throw run.error;
  return run.status === 0 ? null : `${cc} ${args.join(" ")}\n${run.stderr}`;
}

/** Writes each case's files under `dir/<id>/` and compiles them; returns every failure. */
export function compileBatch(dir: string, cases: BatchCase[], opts: BatchOptions = { c: true, ts: true, rust: 0 }): BatchFailure[] {
  rmSync(dir, { recursive: true, force: true });
  const failures: BatchFailure[] = [];
  for (const k of cases)
    for (const f of k.files) {
      const file = path.join(dir, k.id, f.path);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, f.content);
    }
  if (opts.c) {
    for (const k of cases) {
      const root = path.join(dir, k.id);
      const headers = k.files.filter((f) => f.path.startsWith("c/")).map((f) => f.path.slice(2));
      const tu = path.join(root, "all-headers.c");
      writeFileSync(tu, headers.map((h) => `#include <${h}>`).join("\n") + "\n");
      const defs = features(k.model).map((f) => `-D${cFeatureMacro(f)}`);
      const c = clang([...C_STRICT, ...defs, `-I${path.join(root, "c")}`, tu]);
      if (c) failures.push({ id: k.id, outcome: "fail:c", detail: c });
      const cxx = clang([...CXX, ...defs, `-I${path.join(root, "c")}`, tu]);
      if (cxx) failures.push({ id: k.id, outcome: "fail:c++", detail: cxx });
      const layout = path.join(root, "layout.c");
      writeFileSync(layout, layoutProgram(k.model));
      const l = clang(["-std=c11", "-Wall", "-Werror", "-fsyntax-only", layout]);
      if (l) failures.push({ id: k.id, outcome: "fail:layout", detail: l });
    }
  }
  if (opts.ts && cases.length > 0) {
    const roots = cases.flatMap((k) => k.files.filter((f) => f.path.startsWith("ts/") && f.path.endsWith(".ts")).map((f) => path.resolve(dir, k.id, f.path)));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    const { options, errors } = ts.convertCompilerOptionsFromJson({ ...STRICT_COMPILER_OPTIONS, noEmit: true }, dir);
    if (errors.length) throw new Error(ts.formatDiagnostics(errors, formatHost));
    const program = ts.createProgram(roots, options);
    const byCase = new Map<string, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const file = d.file ? path.relative(dir, d.file.fileName) : "";
      const id = file.split(path.sep)[0] ?? "";
      const list = byCase.get(id) ?? [];
      list.push(ts.formatDiagnostic(d, formatHost));
      byCase.set(id, list);
    }
    for (const [id, list] of byCase) failures.push({ id: id || "?", outcome: "fail:ts", detail: list.slice(0, 10).join("") });
  }
  for (const k of cases.slice(0, opts.rust ?? 0)) {
    const lib = path.join(dir, k.id, "rust", "src", "lib.rs");
    try {
      compileRust({
        source: lib,
        out: path.join(dir, k.id, "rust", "lib.rmeta"),
        crateType: "rlib",
        crateName: rustCrateName(k.model),
        features: ["std", ...rustFeatures(k.model)],
        extraArgs: ["-D", "warnings", "--emit=metadata"],
      });
    } catch (e) {
      failures.push({ id: k.id, outcome: "fail:rust", detail: errorText(e) });
    }
  }
  return failures;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => "\n",
};
