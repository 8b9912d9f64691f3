// The robustness properties, as functions the property tests and the fuzz campaign share:
// a contract text is checked (never throwing), an accepted one generated (never throwing), and
// batches of generated outputs compiled with the real toolchains: the C headers with clang for
// wasm32 (C11 strict, and as C++), a layout program written straight from the model (so clang
// checks the layout engine independently of the C generator), the TypeScript in one strict tsc
// program per batch, and the Rust crate with rustc `-D warnings`.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
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

/** Checks a text; a throw is a crash, reported not raised. */
export function checkOnly(text: string, file = "contract.idl"): Checked {
  const base = { text, model: null, files: [], error: null, checkMs: 0, genMs: 0 };
  const t0 = performance.now();
  try {
    const model = compileText(text, file).model;
    return { ...base, outcome: model === null ? "rejected" : "accepted", model, checkMs: performance.now() - t0 };
  } catch (e) {
    return { ...base, outcome: "crash:check", error: errorText(e), checkMs: performance.now() - t0 };
  }
}

/** Generates every output of an accepted contract (what checkOnly gave); a throw is a crash:gen. */
export async function generateChecked(checked: Checked, file = "contract.idl"): Promise<Checked> {
  if (checked.model === null) return checked;
  const t1 = performance.now();
  try {
    const files = await generateAll(checked.model, { source: file });
    return { ...checked, files, genMs: performance.now() - t1 };
  } catch (e) {
    return { ...checked, outcome: "crash:gen", error: errorText(e), genMs: performance.now() - t1 };
  }
}

/** Checks a text and generates every output of an accepted one; a throw is a crash, reported not raised. */
export async function checkAndGenerate(text: string, generate = true, file = "contract.idl"): Promise<Checked> {
  const checked = checkOnly(text, file);
  return generate ? generateChecked(checked, file) : checked;
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
  /** Also write the TypeScript to disk (it is type-checked in memory), to look at a failure. */
  keepTs?: boolean;
  /** C++ without the exemption of CXX_KNOWN. */
  strictCxx?: boolean;
  /** Only the check that gives this outcome (a shrinker retrying one failure). */
  only?: BatchFailure["outcome"];
}

const C_STRICT = ["-x", "c", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-ferror-limit=0"];
const CXX_STRICT = ["-x", "c++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-ferror-limit=0"];
/**
 * A known finding, exempted so the rest of `-pedantic` keeps watch: the C headers spell
 * `_Static_assert`, `_Alignof` and `_Noreturn`, C11 keywords that C++ does not have (clang takes
 * them as extensions; g++ rejects them). `strictCxx` drops the exemption.
 */
const CXX_KNOWN = ["-Wno-c11-extensions"];
const LAYOUT = ["-x", "c", "-std=c11", "-Wall", "-Werror", "-fsyntax-only", "-ferror-limit=0"];

function features(model: ContractModel): string[] {
  const items = [...model.types, ...model.constants, ...model.modules, ...model.modules.flatMap((m) => m.functions)];
  return [...new Set(items.map((i) => i.unstable).filter((f): f is string => f !== null))].sort();
}

/** Which case a clang message at `file:line` is about (null: none of them). */
type Blame = (file: string, line: number) => string | null;

/**
 * The compiler job (`clang -cc1 ...`) the clang driver runs for a translation unit compiled with
 * `args`, as the driver prints it with `-###` for `probe` (an existing file), with `probe` as its
 * last argument; null when the driver plans anything but one such job. Found once per `args`.
 */
const cc1Jobs = new Map<string, string[] | null>();
function cc1Job(args: string[], probe: string): string[] | null {
  const key = JSON.stringify(args);
  if (cc1Jobs.has(key)) return cc1Jobs.get(key)!;
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, ...args, "-###", probe], { encoding: "utf8" });
  const jobs = run.stderr.split("\n").filter((l) => l.startsWith(" \""));
  let job: string[] | null = null;
  if (run.status === 0 && jobs.length === 1) {
    const argv = [...jobs[0]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, "$1"));
    const named = argv.indexOf("-main-file-name");
    // The input file's name for debug info: meaningless for several inputs (and -fsyntax-only).
    if (named > 0) argv.splice(named, 2);
    // Each input's AST is freed when the next one starts (the driver leaks it for one input only).
    const leak = argv.indexOf("-disable-free");
    if (leak > 0) argv.splice(leak, 1);
    if (argv[1] === "-cc1" && argv[argv.length - 1] === probe) job = argv;
  }
  cc1Jobs.set(key, job);
  return job;
}

/** A fatal error (a missing include): the compiler job reports nothing more after one. */
const FATAL = /^[^:\s][^:]*:\d+:\d+: fatal error:|^fatal error:/m;

/**
 * One compiler process over many translation units: `clang -cc1` takes several inputs and
 * compiles each in turn with a fresh preprocessor and AST (nothing of one reaches the next),
 * where the driver would start one process per input (most of the cost for headers this small).
 * The job is the driver's own for these `args` (cc1Job). After a fatal error the job reports
 * nothing more, so the inputs no message named are compiled again by the driver, one process
 * each; so is everything when the driver's job cannot be found. Each message goes to the case
 * `blame` names. A failure no message names is blamed on every case of the run, which the caller
 * then retries one by one.
 */
function clangBatch(args: string[], files: string[], ids: string[], blame: Blame): Map<string, string> {
  if (files.length === 0) return new Map();
  const job = cc1Job(args, files[0]!);
  const byCase = clangRun(args, files, ids, blame, job);
  // One input per case: those after a fatal error are compiled again, each in its own process.
  if (job === null || files.length < 2 || files.length !== ids.length || !FATAL.test([...byCase.values()].join(""))) return byCase;
  const rest = files.flatMap((f, i) => (byCase.has(ids[i]!) ? [] : [{ f, id: ids[i]! }]));
  return new Map([...byCase, ...clangRun(args, rest.map((r) => r.f), rest.map((r) => r.id), blame, null)]);
}

/** One clang run over `files`: the driver's (one process per input), or `job`'s (one process). */
function clangRun(args: string[], files: string[], ids: string[], blame: Blame, job: string[] | null): Map<string, string> {
  const byCase = new Map<string, string>();
  if (files.length === 0) return byCase;
  const { cc, baseArgs } = wasiClang();
  const [exe, argv] = job === null ? [cc, [...baseArgs, ...args, ...files]] : [job[0]!, [...job.slice(1, -1), ...files]];
  const run = spawnSync(exe, argv, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status === 0) return byCase;
  // A message starts at a line naming a file (`path:line:col: error:`, `In file included from path:line:`).
  let current: string | null = null;
  for (const line of run.stderr.split("\n")) {
    const named = /^(?:In file included from )?([^:\s][^:]*):(\d+)/.exec(line);
    if (named) current = blame(named[1]!, Number(named[2])) ?? current;
    if (current !== null && line !== "") byCase.set(current, (byCase.get(current) ?? `${cc} ${args.join(" ")} (${current})\n`) + line + "\n");
  }
  if (byCase.size === 0) for (const id of ids) byCase.set(id, `${cc} ${args.join(" ")} ${files.join(" ")} (exit ${run.status})\n${run.stderr}`);
  return byCase;
}

/**
 * A header's includes of its sibling generated headers (`#include <wasi/api.h>`) as quoted
 * relative paths, so one clang run compiles many cases without one `-I` per case. Only the
 * spelling of those include lines changes.
 */
function includesBySibling(file: GeneratedFile, siblings: ReadonlySet<string>): string {
  const from = path.posix.dirname(file.path.slice("c/".length));
  return file.content.replace(/^#include <([^>]+)>/gm, (line, target: string) =>
    siblings.has(target) ? `#include "${path.posix.relative(from, target)}"` : line,
  );
}

/**
 * Compiles a batch of cases: their C headers as C11 strict and as C++17 strict (one clang run
 * each for the whole batch), the layout program of each (one more run), their TypeScript as one
 * strict program (in memory), and Rust for the first `rust` cases. Returns every failure.
 */
/** Milliseconds spent per compile step (`c`, `c++`, `layout`, `ts`, `rust`) since the last take: the campaign's per-phase summary. */
const compileMs = new Map<string, number>();
function timed<T>(step: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    compileMs.set(step, (compileMs.get(step) ?? 0) + performance.now() - t0);
  }
}
export function takeCompileMs(): [string, number][] {
  const out = [...compileMs];
  compileMs.clear();
  return out;
}

export function compileBatch(dir: string, cases: BatchCase[], opts: BatchOptions = { c: true, ts: true, rust: 0 }): BatchFailure[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const failures: BatchFailure[] = [];
  const only = (o: BatchFailure["outcome"]): boolean => opts.only === undefined || opts.only === o;
  if (opts.c && (only("fail:c") || only("fail:c++") || only("fail:layout"))) {
    const units: string[] = [];
    const layout: string[] = ["#include <stddef.h>", "#include <stdint.h>"];
    const layoutLines: { id: string; from: number }[] = [];
    for (const [n, k] of cases.entries()) {
      const headers = k.files.filter((f) => f.path.startsWith("c/") && f.path.endsWith(".h"));
      const names = new Set(headers.map((h) => h.path.slice(2)));
      for (const h of headers) {
        const file = path.join(dir, k.id, h.path);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, includesBySibling(h, names));
      }
      // Feature macros as #defines, since one run cannot give each case its own -D.
      const tu = path.join(dir, k.id, "all-headers.c");
      const defines = features(k.model).map((f) => `#define ${cFeatureMacro(f)} 1`);
      writeFileSync(tu, [...defines, ...[...names].map((h) => `#include "c/${h}"`)].join("\n") + "\n");
      units.push(tu);
      // Every case's layout program in one translation unit, its names prefixed by the case.
      layoutLines.push({ id: k.id, from: layout.length + 1 });
      layout.push(...layoutProgram(k.model, `k${n}_`).trimEnd().split("\n"));
    }
    const layoutFile = path.join(dir, "layouts.c");
    writeFileSync(layoutFile, layout.join("\n") + "\n");
    const ids = cases.map((k) => k.id);
    const byFolder: Blame = (file) => {
      const id = path.relative(dir, path.resolve(file)).split(path.sep)[0]!;
      return ids.includes(id) ? id : null;
    };
    const byLine: Blame = (file, line) =>
      path.resolve(file) === path.resolve(layoutFile) ? ([...layoutLines].reverse().find((l) => l.from <= line)?.id ?? null) : null;
    const runs: [BatchFailure["outcome"], string[], string[], Blame][] = [
      ["fail:c", C_STRICT, units, byFolder],
      ["fail:c++", [...CXX_STRICT, ...(opts.strictCxx ? [] : CXX_KNOWN)], units, byFolder],
      ["fail:layout", LAYOUT, [layoutFile], byLine],
    ];
    for (const [outcome, args, files, blame] of runs.filter(([o]) => only(o))) {
      let blamed = timed(outcome.slice(5), () => clangBatch(args, files, ids, blame));
      // Nothing named the failing case: find it by compiling each alone.
      if (blamed.size === ids.length && ids.length > 1 && files.length === ids.length && [...blamed.values()].every((d, _, all) => d === all[0]))
        blamed = new Map(files.flatMap((f, i) => [...clangBatch(args, [f], [ids[i]!], byFolder)]));
      for (const [id, detail] of blamed) failures.push({ id, outcome, detail });
    }
  }
  if (opts.ts && only("fail:ts") && cases.length > 0) failures.push(...timed("ts", () => typeCheckBatch(dir, cases, opts.keepTs ?? false)));
  for (const k of cases.slice(0, only("fail:rust") ? (opts.rust ?? 0) : 0)) {
    const lib = path.join(dir, k.id, "rust", "src", "lib.rs");
    for (const f of k.files.filter((f) => f.path.startsWith("rust/"))) {
      mkdirSync(path.dirname(path.join(dir, k.id, f.path)), { recursive: true });
      writeFileSync(path.join(dir, k.id, f.path), f.content);
    }
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

// The TypeScript library files, parsed once per process: every batch's program shares them.
// They are type-checked in the first program only (checking them is most of a small batch's
// cost, and their text and the options are the same every time).
const libFiles = new Map<string, ts.SourceFile>();
let libsChecked = false;

/**
 * The closure keys of the files found clean in this process. A file's diagnostics depend on its
 * own path and text and on those of the files it imports, directly or not (the options and the
 * libraries are the same every time, and with `moduleDetection: "force"` no file declares
 * globals), so a file whose closure was clean once is clean again: the real contract's modules
 * a mutation left alone, the runtime every case shares.
 */
const cleanClosures = new Set<string>();
let openKeys = 0;

/**
 * Each of a case's TS files (its path under ts/) keyed by its closure: its path and text and
 * those of every case file it reaches by relative imports. An import that names no file of the
 * case makes the key unique (never found clean before: it is checked).
 */
function closureKeys(files: GeneratedFile[]): Map<string, string> {
  const text = new Map(files.map((f) => [f.path, f.content]));
  const deps = new Map<string, string[] | null>();
  for (const f of files) {
    const out: string[] = [];
    let resolved = true;
    for (const { fileName } of ts.preProcessFile(f.content, true, true).importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = path.posix.join(path.posix.dirname(f.path), fileName).replace(/\.js$/, ".ts");
      if (text.has(target)) out.push(target);
      else resolved = false;
    }
    deps.set(f.path, resolved ? out : null);
  }
  const keys = new Map<string, string>();
  for (const f of files) {
    const seen = new Set<string>([f.path]);
    const todo = [f.path];
    let open = false;
    while (todo.length > 0) {
      const d = deps.get(todo.pop()!);
      if (d === null || d === undefined) open = true;
      else for (const t of d) if (!seen.has(t)) (seen.add(t), todo.push(t));
    }
    const hash = createHash("sha256");
    for (const p of [...seen].sort()) hash.update(`${p}\0${text.get(p)}\0`);
    keys.set(f.path, open ? `open:${++openKeys}` : hash.digest("hex"));
  }
  return keys;
}

/**
 * Type-checks every case's TypeScript as one strict program, from memory (`dir/<id>/ts/...`
 * paths). Only files whose closure is new are checked (their imports are type-checked as far as
 * they need); a closure met twice in the batch is checked once.
 */
function typeCheckBatch(dir: string, cases: BatchCase[], keep: boolean): BatchFailure[] {
  const root = path.resolve(dir);
  const files = new Map<string, string>([[path.join(root, "package.json"), JSON.stringify({ type: "module", private: true })]]);
  const roots: string[] = [];
  const keyOf = new Map<string, string>();
  // A file whose closure is already in the program: imports of it resolve to the first copy.
  const firstOf = new Map<string, string>();
  const sameAs = new Map<string, string>();
  for (const k of cases) {
    const tsFiles = k.files.filter((f) => f.path.startsWith("ts/") && f.path.endsWith(".ts"));
    const keys = closureKeys(tsFiles);
    for (const f of tsFiles) {
      const file = path.join(root, k.id, f.path);
      files.set(file, f.content);
      if (keep) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, f.content);
      }
      const key = keys.get(f.path)!;
      const first = firstOf.get(key);
      if (first !== undefined) {
        sameAs.set(file, first);
        continue;
      }
      firstOf.set(key, file);
      keyOf.set(file, key);
      if (!cleanClosures.has(key)) roots.push(file);
    }
  }
  const byCase = new Map<string, string[]>();
  if (roots.length === 0) return [];
  const dirs = new Set([...files.keys()].flatMap((f) => {
    const out: string[] = [];
    for (let d = path.dirname(f); d.startsWith(root); d = path.dirname(d)) out.push(d);
    return out;
  }));
  const { options, errors } = ts.convertCompilerOptionsFromJson({ ...STRICT_COMPILER_OPTIONS, noEmit: true, skipDefaultLibCheck: libsChecked }, root);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, formatHost));
  const host = ts.createCompilerHost(options);
  const inBatch = (f: string): boolean => f === root || f.startsWith(root + path.sep);
  host.fileExists = (f) => (inBatch(f) ? files.has(f) : ts.sys.fileExists(f));
  host.readFile = (f) => (inBatch(f) ? files.get(f) : ts.sys.readFile(f));
  host.directoryExists = (d) => (inBatch(d) ? dirs.has(d) : ts.sys.directoryExists(d));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, language, onError) => {
    const text = files.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, language);
    const key = `${f}\0${typeof language === "object" ? language.languageVersion : language}`;
    let lib = libFiles.get(key);
    if (lib === undefined) {
      lib = getSourceFile(f, language, onError);
      if (lib) libFiles.set(key, lib);
    }
    return lib;
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containing) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containing, literal, opts);
      const r = ts.resolveModuleName(literal.text, containingFile, opts, host, undefined, redirected, mode);
      const first = r.resolvedModule && sameAs.get(r.resolvedModule.resolvedFileName);
      return first ? { resolvedModule: { ...r.resolvedModule!, resolvedFileName: first } } : r;
    });
  const program = ts.createProgram(roots, options, host);
  // What getPreEmitDiagnostics gives, for the roots only (and the libraries the first time).
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (!libsChecked) for (const lib of program.getSourceFiles().filter((sf) => !inBatch(sf.fileName))) diagnostics.push(...program.getSemanticDiagnostics(lib));
  libsChecked = true;
  for (const file of roots) {
    const sf = program.getSourceFile(file)!;
    const own = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    if (own.length === 0) cleanClosures.add(keyOf.get(file)!);
    diagnostics.push(...own);
  }
  for (const d of diagnostics) {
    const file = d.file ? path.relative(root, d.file.fileName) : "";
    const id = file.split(path.sep)[0] ?? "";
    const list = byCase.get(id) ?? [];
    list.push(ts.formatDiagnostic(d, formatHost));
    byCase.set(id, list);
  }
  return [...byCase].map(([id, list]) => ({ id: id || "?", outcome: "fail:ts" as const, detail: list.slice(0, 10).join("") }));
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => "\n",
};
