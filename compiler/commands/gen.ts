// `abic gen`: renders every target and writes generated/ atomically, or with --check compares
// the rendering with the files on disk and prints a unified diff of what is stale.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createTwoFilesPatch } from "diff";
import { generate } from "../api.ts";
import { compileFile } from "../index.ts";
import { formatDiagnostic } from "../diagnostics.ts";
import type { GeneratedFile } from "../gen/index.ts";
import { OptionError, parseTsOptions, resolveTsOptions, TS_OPTIONS, type TsOptions } from "../gen/options.ts";
import { UsageError, type CommandSpec } from "./args.ts";

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
  const head = `                 ${o.name}=${o.values.join("|")} (default: ${o.default})`;
  const lines = [""];
  for (const word of o.summary.split(" ")) {
    if (`${lines[lines.length - 1]} ${word}`.length > 70) lines.push("");
    lines[lines.length - 1] += (lines[lines.length - 1] ? " " : "") + word;
  }
  return [head, ...lines.map((l) => `                   ${l}`)].join("\n");
}).join("\n");

const GEN_OPTIONS = {
  out: { type: "string", short: "o" },
  check: { type: "boolean" },
  "ts-opt": { type: "string", multiple: true },
} as const;

export const genCommand: CommandSpec<typeof GEN_OPTIONS> = {
  summary: "Generate C headers, TypeScript bindings, the Rust crate, docs and manifest",
  help: `Usage: abic gen [FILE] [-o DIR] [--check] [--ts-opt KEY=VALUE[,KEY=VALUE]]...

Checks FILE (default: abi.idl) and writes every output under DIR (default: generated/):
C headers (c/), TypeScript host bindings (ts/), the Rust guest crate (rust/), Markdown docs
(docs/), the JSON manifest (abi.json) and the ABI report (abi.report.txt). The folder is
replaced atomically.

  -o, --out DIR  the output folder (default: generated)
  --check        write nothing; compare with the files on disk, print a unified diff of
                 every stale file and exit 1 if any (what CI runs)
  --ts-opt       an option of the TypeScript bindings (named as protoc-gen-es names them);
                 repeat it or separate options with commas:
${TS_OPTIONS_HELP}

With the defaults, ts/ compiles under a plain strict tsconfig (NodeNext or bundler
resolution, emit on) and the emitted JavaScript runs on Node 20. Example:
  abic gen --out src/generated --ts-opt target=js+dts`,
  options: GEN_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
    const source = positionals[0] ?? "abi.idl";
    const outDir = values.out ?? "generated";
    const ts = tsOptions(values["ts-opt"] ?? []);
    const c = compileFile(source);
    for (const d of c.diagnostics) io.err(formatDiagnostic(d, c.texts) + "\n");
    if (!c.model) return 1;
    const files = await generate(c.model, { source: source.split(path.sep).join("/"), ts });
    if (values.check) {
      const stale = staleFiles(files, outDir);
      for (const s of stale) {
        const a = `${outDir}/${s.path}`;
        io.out(createTwoFilesPatch(s.actual === null ? "/dev/null" : a, s.expected === null ? "/dev/null" : a, s.actual ?? "", s.expected ?? ""));
      }
      if (stale.length) {
        io.err(`abic: ${stale.length} generated file${stale.length === 1 ? " is" : "s are"} stale; run \`npx abic gen\` to regenerate\n`);
        return 1;
      }
      io.out(`${outDir}/ is up to date (${files.length} files)\n`);
      return 0;
    }
    const parent = path.dirname(path.resolve(outDir));
    // The output folder may be new, but its parent must exist: nothing is created above it.
    if (!existsSync(parent) || !statSync(parent).isDirectory()) {
      io.err(`abic gen: error: cannot write ${outDir}/: ${parent} is not an existing folder\n`);
      return 1;
    }
    try {
      writeAtomically(files, outDir);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      io.err(`abic gen: error: cannot write ${outDir}/: ${err.code ?? ""} ${err.message}\n`);
      return 1;
    }
    io.out(`wrote ${files.length} files to ${outDir}/\n`);
    return 0;
  },
};
