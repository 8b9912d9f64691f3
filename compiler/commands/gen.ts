// `abic gen`: renders every target and writes generated/ atomically, or with --check compares
// the rendering with the files on disk and prints a unified diff of what is stale.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createTwoFilesPatch } from "diff";
import { generate } from "../api.ts";
import { positionOf, recordOf, type DiagnosticRecord } from "../diagnostic-formats.ts";
import { countLine, hasErrors } from "../diagnostics.ts";
import type { GeneratedFile } from "../gen/index.ts";
import { OptionError, parseTsOptions, resolveTsOptions, TS_OPTIONS, type TsOptions } from "../gen/options.ts";
import { compileTracked } from "../index.ts";
import { UsageError, type CommandIO, type CommandSpec, type Options } from "./args.ts";
import {
  applyDenyWarnings,
  colorPatch,
  firstDifferentLine,
  DENY_WARNINGS_HELP,
  DENY_WARNINGS_OPTION,
  OUTPUT_HELP,
  OUTPUT_OPTIONS,
  printDiagnostics,
  printEnvelope,
  printGithub,
  readOutput,
  type Output,
} from "./output.ts";
import { WATCH_HELP, WATCH_OPTION, watchContract, type WatchRun } from "./watch.ts";

/** Every file under `dir`, relative to it, with `/` separators. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** Files that differ from disk: changed, missing, or on disk but no longer generated. */
export function staleFiles(files: GeneratedFile[], outDir: string): { path: string; expected: string | null; actual: string | null }[] {
  const stale = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const f of files) {
    const onDisk = path.join(outDir, f.path);
    const actual = existsSync(onDisk) ? readFileSync(onDisk, "utf8") : null;
    if (actual !== f.content) stale.push({ path: f.path, expected: f.content, actual });
  }
  for (const p of listFiles(outDir)) if (!wanted.has(p)) stale.push({ path: p, expected: null, actual: readFileSync(path.join(outDir, p), "utf8") });
  return stale.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Writes the whole output folder into a sibling temporary folder, then swaps it in with two
 * renames, so a failure part-way leaves the previous folder untouched and removed outputs vanish.
 */
export function writeAtomically(files: GeneratedFile[], outDir: string): void {
  const parent = path.dirname(path.resolve(outDir));
  const base = path.basename(outDir);
  const staging = path.join(parent, `.${base}.new-${process.pid}`);
  const previous = path.join(parent, `.${base}.old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  // Created alone first, so an unwritable parent fails at once (a recursive mkdir there can
  // spin on special filesystems); everything below it is then plain recursive creation.
  mkdirSync(staging);
  try {
    for (const f of files) {
      const target = path.join(staging, f.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(outDir) && existsSync(previous)) renameSync(previous, outDir);
    throw e;
  }
  rmSync(previous, { recursive: true, force: true });
}

function staleRecord(outDir: string, s: ReturnType<typeof staleFiles>[number]): DiagnosticRecord {
  const file = `${outDir}/${s.path}`;
  const why = s.actual === null ? "is missing" : s.expected === null ? "is no longer generated" : "differs from what `abic gen` writes";
  const line = s.actual !== null && s.expected !== null ? firstDifferentLine(s.actual, s.expected) : null;
  return {
    severity: "error",
    code: "E0801",
    message: `generated file ${file} ${why}; run \`npx abic gen\``,
    ...positionOf(null, file),
    line,
    column: line === null ? null : 1,
    notes: [],
    suggestion: null,
  };
}

interface GenOptions {
  source: string;
  outDir: string;
  check: boolean;
  denyWarnings: boolean;
  ts: TsOptions;
}

/** One generation: what `abic gen` does, and what `--watch` repeats. Prints its own diagnostics. */
async function genOnce(o: GenOptions, io: CommandIO, output: Output, watching: boolean): Promise<WatchRun> {
  const { compilation, files: read } = compileTracked(o.source);
  const diagnostics = applyDenyWarnings(compilation.diagnostics, o.denyWarnings);
  const records = diagnostics.map(recordOf);
  const finish = (ok: boolean, line: string, extra: object = {}): WatchRun => {
    if (output.format === "json") printEnvelope(io, "gen", ok, records, { outDir: o.outDir, ...extra }, watching);
    else if (output.format === "github") printGithub(io, records.slice(diagnostics.length));
    return { ok, files: read, texts: compilation.texts, line };
  };
  printDiagnostics(output, io, diagnostics, compilation.texts);
  if (hasErrors(diagnostics) || !compilation.model) {
    if (!watching && output.format === "human") io.err(countLine(diagnostics) + "\n");
    return finish(false, `${countLine(diagnostics)}; ${o.outDir}/ left as it was`);
  }
  const files = await generate(compilation.model, { source: o.source.split(path.sep).join("/"), ts: o.ts });
  const stale = staleFiles(files, o.outDir);
  if (o.check) {
    if (output.format === "human")
      for (const s of stale) {
        const a = `${o.outDir}/${s.path}`;
        io.out(colorPatch(createTwoFilesPatch(s.actual === null ? "/dev/null" : a, s.expected === null ? "/dev/null" : a, s.actual ?? "", s.expected ?? ""), output.out));
      }
    records.push(...stale.map((s) => staleRecord(o.outDir, s)));
    const line = stale.length
      ? `${stale.length} generated file${stale.length === 1 ? " is" : "s are"} stale; run \`npx abic gen\` to regenerate`
      : `${o.outDir}/ is up to date (${files.length} files)`;
    if (stale.length && output.format === "human" && !watching) io.err(`abic: ${line}\n`);
    if (!stale.length && output.format === "human" && !watching) io.out(line + "\n");
    return finish(stale.length === 0, line, { stale: stale.map((s) => s.path) });
  }
  const cannotWrite = (why: string): WatchRun => {
    const message = `cannot write ${o.outDir}/: ${why}`;
    records.push({ severity: "error", code: "E0802", message, ...positionOf(null, o.outDir), notes: [], suggestion: null });
    if (output.format === "human") io.err(`abic gen: error: ${message}\n`);
    return finish(false, message);
  };
  const parent = path.dirname(path.resolve(o.outDir));
  // The output folder may be new, but its parent must exist: nothing is created above it.
  if (!existsSync(parent) || !statSync(parent).isDirectory()) return cannotWrite(`${parent} is not an existing folder`);
  if (stale.length) {
    try {
      writeAtomically(files, o.outDir);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return cannotWrite(`${err.code ?? ""} ${err.message}`);
    }
  }
  const line = stale.length
    ? `wrote ${files.length} files to ${o.outDir}/ (${stale.length} changed)`
    : `${o.outDir}/ is up to date (${files.length} files)`;
  if (output.format === "human" && !watching) io.out(line + "\n");
  return finish(true, line, { written: stale.map((s) => s.path) });
}

const GEN_OPTIONS = {
  out: { type: "string", short: "o" },
  check: { type: "boolean" },
  "ts-opt": { type: "string", multiple: true },
  ...WATCH_OPTION,
  ...DENY_WARNINGS_OPTION,
  ...OUTPUT_OPTIONS,
} as const satisfies Options;

/** `--ts-opt` values as a checked options object; a bad one is a usage error. */
function tsOptions(values: readonly string[]): TsOptions {
  try {
    return resolveTsOptions(parseTsOptions(values));
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message);
    throw e;
  }
}

/** The `--ts-opt` section of the help, from the option table. */
const TS_OPTIONS_HELP = TS_OPTIONS.map((o) => {
  const head = `                    ${o.name}=${o.values.join("|")} (default: ${o.default})`;
  const lines = [""];
  for (const word of o.summary.split(" ")) {
    if (`${lines[lines.length - 1]} ${word}`.length > 60) lines.push("");
    lines[lines.length - 1] += (lines[lines.length - 1] ? " " : "") + word;
  }
  return [head, ...lines.map((l) => `                      ${l}`)].join("\n");
}).join("\n");

export const genCommand: CommandSpec<typeof GEN_OPTIONS> = {
  summary: "Generate C headers, TypeScript bindings, the Rust crate, docs and manifest",
  help: `Usage: abic gen [FILE] [-o DIR] [--check] [--ts-opt KEY=VALUE[,KEY=VALUE]]...
                [--watch] [--deny-warnings] [--format F] [--color WHEN]

Checks FILE (default: abi.idl) and writes every output under DIR (default: generated/):
C headers (c/), TypeScript host bindings (ts/), the Rust guest crate (rust/), Markdown docs
(docs/), the JSON manifest (abi.json) and the ABI report (abi.report.txt). When anything
changed, the folder is replaced atomically; when nothing did, nothing is written.

  -o, --out DIR     the output folder (default: generated)
  --check           write nothing; compare with the files on disk, print a unified diff of
                    every stale file and exit 1 if any (what CI runs)
  --ts-opt KEY=V    an option of the TypeScript bindings (named as protoc-gen-es names
                    them); repeat it or separate options with commas:
${TS_OPTIONS_HELP}
${DENY_WARNINGS_HELP}
${WATCH_HELP}
${OUTPUT_HELP}

With the default --ts-opt, ts/ compiles under a plain strict tsconfig (NodeNext or bundler
resolution, emit on) and the emitted JavaScript runs on Node 20. Example:
  abic gen --out src/generated --ts-opt target=js+dts

Exit status: 0 on success, 1 on errors in the contract, stale files (--check) or an
output folder that cannot be written, 2 on bad usage.`,
  options: GEN_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
    const output = readOutput(values, io);
    const o: GenOptions = {
      source: positionals[0] ?? "abi.idl",
      outDir: values.out ?? "generated",
      check: values.check === true,
      denyWarnings: values["deny-warnings"] === true,
      ts: tsOptions(values["ts-opt"] ?? []),
    };
    if (values.watch) return watchContract({ io, output, name: "gen", runOnce: () => genOnce(o, io, output, true) });
    return (await genOnce(o, io, output, false)).ok ? 0 : 1;
  },
};
