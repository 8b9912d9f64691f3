// `abic gen`: checks the contract, renders the targets the configuration and flags ask for, and
// writes into each target's folder only the files whose content changed (never a file abic did
// not write; see gen/writer.ts), or with --check compares the rendering with the disk and prints
// a unified diff of what is stale.

import { realpathSync } from "node:fs";
import * as path from "node:path";
import { positionOf, recordOf } from "../diagnostic-formats.ts";
import { countLine, hasErrors, type Diagnostic } from "../diagnostics.ts";
import { digest, FORMATTER_ID, newFormatMemo, withFormatMemo } from "../gen/format.ts";
import { generateTargets } from "../gen/index.ts";
import { TargetWorker } from "../gen/parallel.ts";
import { TS_OPTIONS } from "../gen/options.ts";
import { TARGET_ENTRIES } from "../gen/targets.ts";
import { applyPlan, cachedFormatted, cannotWrite, codeDigest, generationCacheFile, knownFormatted, rememberedSources, rememberGeneration, unchangedOutputs, planChanges, planOutputs, RECORD_FILE, type FolderOutput, type OutputPlan, type PlannedFile } from "../gen/writer.ts";
import { compileTracked } from "../index.ts";
import type { ContractModel, Span } from "../model.ts";
import { didYouMean } from "../suggest.ts";
import { UsageError, type CommandIO, type CommandSpec, type Options } from "./args.ts";
import { CONFIG_FILE, displayPath, resolveGenSetup, type GenSetup } from "./gen-setup.ts";
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

interface RunMode {
  check: boolean;
  verbose: boolean;
}

/** A diagnostic's files named from the working directory instead of the contract's base folder. */
function relocate(d: Diagnostic, name: (file: string) => string): Diagnostic {
  const span = (s: Span): Span => ({ ...s, file: name(s.file) });
  return { ...d, span: span(d.span), ...(d.related ? { related: d.related.map((r) => ({ ...r, span: span(r.span) })) } : {}) };
}

/** The real path of `p`, even when its last parts do not exist yet. */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realPath(parent), path.basename(p));
  }
}

function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** The folders output goes to, without those inside another one: how a summary line names them. */
function rootsOf(dirs: readonly string[]): string[] {
  const unique = [...new Set(dirs)].sort();
  return unique.filter((d) => !unique.some((o) => o !== d && isWithin(d, o)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The key of one generation's inputs: the contract's texts, the settings, and abic itself (its
 * code, templates and formatter). Equal keys make equal outputs.
 */
function generationKey(setup: GenSetup, texts: ReadonlyMap<string, string>): string {
  return digest(
    JSON.stringify({
      code: codeDigest(),
      formatter: FORMATTER_ID,
      source: setup.source,
      targets: setup.targets.map((t) => [t.name, t.out]),
      ts: setup.ts,
      texts: [...texts].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    }),
  );
}

/**
 * Renders the targets into one output per outermost folder (targets nested in another's folder,
 * c/ in generated/, share its record); prettier is skipped for texts the records or the cache
 * vouch for (see FormatMemo). A string: two targets would write the same file. Also the texts
 * prettier formatted (or found) in this run, by input key, for the cache.
 */
async function render(
  setup: GenSetup,
  model: ContractModel,
  roots: readonly string[],
  cacheFile: string | null,
  worker: TargetWorker | null,
): Promise<{ folders: FolderOutput[]; formatted: Map<string, string> } | string> {
  const memo = newFormatMemo(new Map([...cachedFormatted(cacheFile), ...knownFormatted(roots)]));
  const ctx = { source: setup.source, ts: setup.ts };
  const names = setup.targets.map((t) => t.name);
  const outputs = worker !== null ? await worker.render(model, ctx, names, memo) : await withFormatMemo(memo, () => generateTargets(model, ctx, names));
  const byRoot = new Map<string, FolderOutput>(roots.map((r) => [r, { dir: r, files: [] }]));
  const owner = new Map<string, string>();
  for (const o of outputs) {
    const t = setup.targets.find((x) => x.name === o.target)!;
    const root = roots.find((r) => isWithin(t.out, r))!;
    for (const f of o.files) {
      const full = path.join(t.out, o.folder === "" ? f.path : f.path.slice(o.folder.length + 1));
      const other = owner.get(full);
      if (other !== undefined) return `the ${other} and ${o.target} targets would both write ${displayPath(full)}; give one of them another \`out\``;
      owner.set(full, o.target);
      const formattedFrom = memo.used.get(f.content);
      byRoot.get(root)!.files.push({ path: path.relative(root, full).split(path.sep).join("/"), content: f.content, ...(formattedFrom === undefined ? {} : { formattedFrom }) });
    }
  }
  return { folders: [...byRoot.values()], formatted: memo.byKey };
}

/** Outputs the generation cache vouches for, with the contract's texts and warnings: nothing to parse or render. */
interface Unchanged {
  texts: Map<string, string>;
  diagnostics: Diagnostic[];
  folders: FolderOutput[];
}

/** One generation: what `abic gen` does, and what `--watch` repeats. Prints its own diagnostics. */
async function genOnce(setup: GenSetup, mode: RunMode, io: CommandIO, output: Output, watching: boolean): Promise<WatchRun> {
  // One record per outermost folder: targets nested in another's folder (c/ in generated/) share it.
  const roots = rootsOf(setup.targets.map((t) => t.out));
  const cacheFile = generationCacheFile(setup.base, roots);
  // An unchanged contract whose outputs are as the cache left them needs no parsing or checking:
  // the cache names the files the last generation read and the warnings it gave, and their texts
  // give the same generation key only if nothing it depends on changed. (Not when watching: a
  // watch wants the contract's model and the files to follow.)
  let unchanged: Unchanged | null = null;
  if (!watching) {
    const sources = rememberedSources(cacheFile, setup.base);
    const folders = sources === null ? null : unchangedOutputs(cacheFile, roots, generationKey(setup, sources.texts));
    if (sources !== null && folders !== null) unchanged = { ...sources, folders };
  }
  // Whatever is rendered is shared with a second thread, started now so that it is ready when
  // the front end is done.
  const worker = unchanged === null ? TargetWorker.start(setup.targets.map((t) => t.name)) : null;
  try {
    return await generateOnce(setup, mode, io, output, watching, { roots, cacheFile, unchanged, worker });
  } finally {
    await worker?.close();
  }
}

async function generateOnce(
  setup: GenSetup,
  mode: RunMode,
  io: CommandIO,
  output: Output,
  watching: boolean,
  { roots, cacheFile, unchanged, worker }: { roots: string[]; cacheFile: string | null; unchanged: Unchanged | null; worker: TargetWorker | null },
): Promise<WatchRun> {
  const cwd = process.cwd();
  const abs = (f: string): string => path.resolve(setup.base, f);
  const show = (p: string): string => displayPath(p, cwd);
  const { compilation, files: read } =
    unchanged === null
      ? compileTracked(setup.source, setup.base)
      : { compilation: { model: null, diagnostics: unchanged.diagnostics, texts: unchanged.texts }, files: [...unchanged.texts.keys()] };
  const texts = new Map([...compilation.texts].map(([f, t]) => [show(abs(f)), t]));
  const diagnostics = applyDenyWarnings(
    compilation.diagnostics.map((d) => relocate(d, (f) => show(abs(f)))),
    setup.denyWarnings,
  );
  const records = diagnostics.map(recordOf);
  const rootShown = show(setup.root);
  const where = rootsOf(setup.targets.map((t) => t.out))
    .map((d) => `${show(d)}/`)
    .join(", ");
  const watched = read.map(abs);
  const watchedTexts = new Map([...compilation.texts].map(([f, t]) => [abs(f), t]));
  const finish = (ok: boolean, line: string, extra: object = {}): WatchRun => {
    if (output.format === "json") printEnvelope(io, "gen", ok, records, { outDir: rootShown, ...extra }, watching);
    else if (output.format === "github") printGithub(io, records.slice(diagnostics.length));
    return { ok, files: watched, texts: watchedTexts, line };
  };
  const fail = (code: string, message: string, file: string | null): WatchRun => {
    records.push({ severity: "error", code, message, ...positionOf(null, file), notes: [], suggestion: null });
    if (output.format === "human") io.err(`abic gen: error: ${message}\n`);
    return finish(false, message);
  };

  printDiagnostics(output, io, diagnostics, texts);
  if (hasErrors(diagnostics) || (!compilation.model && unchanged === null)) {
    if (!watching && output.format === "human") io.err(countLine(diagnostics) + "\n");
    return finish(false, `${countLine(diagnostics)}; ${where} left as it was`);
  }

  // An output folder holding the contract (or the configuration) would mix generated files
  // with the project's own: refused before anything is written.
  const sources = [...compilation.texts.keys()].map(abs);
  if (setup.configFile !== null) sources.push(setup.configFile);
  for (const t of setup.targets) {
    const out = realPath(t.out);
    const source = sources.find((s) => isWithin(realPath(path.dirname(s)), out));
    if (source !== undefined) {
      // A folder the configuration gives this target alone is named as such.
      const whose = t.out !== path.join(setup.root, t.folder) ? ` (the ${t.name} target's folder)` : "";
      const suggestion = show(path.join(path.dirname(setup.contract), "generated"));
      return fail(
        "E0804",
        `refusing to generate into ${show(t.out)}/${whose}: it holds ${source === setup.configFile ? "the configuration" : "the contract's"} ${show(source)}; give the generated files a folder of their own (e.g. --out ${suggestion})`,
        show(t.out),
      );
    }
  }

  if (!mode.check)
    for (const r of roots) {
      const no = cannotWrite(r);
      if (no !== null) return fail("E0802", `cannot write ${show(r)}/: ${show(no.at)} ${no.why}`, show(r));
    }
  // Everything the outputs depend on; when the generation cache says they were made from exactly
  // this and no file changed since, generating again would give the same files: nothing is rendered.
  const generation = generationKey(setup, compilation.texts);
  let folders = unchanged?.folders ?? unchangedOutputs(cacheFile, roots, generation);
  const rendered = folders === null;
  let formatted = new Map<string, string>();
  if (folders === null) {
    if (compilation.model === null) throw new Error("gen: no model to render");
    const made = await render(setup, compilation.model, roots, cacheFile, worker);
    if (typeof made === "string") return fail("E0805", made, null);
    ({ folders, formatted } = made);
  }

  let plan: OutputPlan;
  try {
    plan = planOutputs(folders);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return fail("E0802", `cannot read the output folders: ${err.code ?? ""} ${err.message}`.replace(/ {2,}/g, " "), rootShown);
  }
  const fromRoot = (f: { dir: string; path: string }): string => path.relative(setup.root, path.join(f.dir, f.path)).split(path.sep).join("/");
  const shown = (f: { dir: string; path: string }): string => show(path.join(f.dir, f.path));
  const conflictRecords = (): WatchRun | null => {
    if (plan.conflicts.length === 0) return null;
    for (const c of plan.conflicts) {
      const message = `${shown(c)} ${c.why}; abic never overwrites a file it did not write: move it away, or give the target another \`out\``;
      records.push({ severity: "error", code: "E0803", message, ...positionOf(null, shown(c)), notes: [], suggestion: null });
      if (output.format === "human") io.err(`abic gen: error: ${message}\n`);
    }
    return finish(false, `${plural(plan.conflicts.length, "file")} of others in the way; nothing written`, { conflicts: plan.conflicts.map(fromRoot) });
  };

  if (mode.check) {
    const stale: { file: string; rel: string; current: string | null; expected: string | null; why: string }[] = [];
    for (const f of plan.files) {
      if (f.action === "keep") continue;
      const why = f.action === "remove" ? "is no longer generated" : f.current === null ? "is missing" : "differs from what `abic gen` writes";
      stale.push({ file: shown(f), rel: fromRoot(f), current: f.current, expected: f.action === "remove" ? null : f.content, why });
    }
    // A record that lists the right files is current: the rest of it is a cache.
    for (const r of plan.records.filter((x) => x.listChanges)) {
      const f = { dir: r.dir, path: RECORD_FILE };
      const why = r.current === null ? "is missing (the record of the files abic wrote there)" : "does not list the files abic writes there";
      stale.push({ file: shown(f), rel: fromRoot(f), current: r.current, expected: r.text, why });
    }
    stale.sort((a, b) => a.rel.localeCompare(b.rel));
    // The diff package is loaded only to print one (not on every gen).
    const { createTwoFilesPatch } = stale.length > 0 && output.format === "human" ? await import("diff") : { createTwoFilesPatch: null };
    if (createTwoFilesPatch !== null)
      for (const s of stale)
        io.out(colorPatch(createTwoFilesPatch(s.current === null ? "/dev/null" : s.file, s.expected === null ? "/dev/null" : s.file, s.current ?? "", s.expected ?? ""), output.out));
    for (const s of stale) {
      const line = s.current !== null && s.expected !== null ? firstDifferentLine(s.current, s.expected) : null;
      records.push({
        severity: "error",
        code: "E0801",
        message: `generated file ${s.file} ${s.why}; run \`npx abic gen\``,
        ...positionOf(null, s.file),
        line,
        column: line === null ? null : 1,
        notes: [],
        suggestion: null,
      });
    }
    const conflicted = conflictRecords();
    if (conflicted) return conflicted;
    const kept = plan.files.filter((f) => f.action === "keep").length;
    const line = stale.length
      ? `${stale.length} generated file${stale.length === 1 ? " is" : "s are"} stale; run \`npx abic gen\` to regenerate`
      : `${where} ${setup.targets.length > 1 && where.includes(",") ? "are" : "is"} up to date (${plural(kept, "file")})`;
    if (stale.length && output.format === "human" && !watching) io.err(`abic: ${line}\n`);
    if (!stale.length && output.format === "human" && !watching) io.out(line + "\n");
    return finish(stale.length === 0, line, { stale: stale.map((s) => s.rel) });
  }

  const conflicted = conflictRecords();
  if (conflicted) return conflicted;
  if (planChanges(plan)) {
    try {
      applyPlan(plan);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const file = typeof err.path === "string" ? show(err.path) : rootShown;
      return fail("E0802", `cannot write ${file}: ${err.code ? `${err.code}: ` : ""}${err.message.replace(/^\w+: /, "")}`, file);
    }
  }
  // The files read, and the warnings (a run that skips the front end prints them from here).
  const readFrom = { read: [...compilation.texts.keys()], missing: read.filter((f) => !compilation.texts.has(f)), diagnostics: compilation.diagnostics };
  if (rendered) rememberGeneration(cacheFile, folders, generation, readFrom, formatted);
  const of = (a: PlannedFile["action"]): PlannedFile[] => plan.files.filter((f) => f.action === a);
  const [written, kept, removed] = [of("write"), of("keep"), of("remove")];
  if (mode.verbose && output.format === "human") {
    const list = (verb: string, files: { dir: string; path: string }[], note = ""): void => {
      for (const f of files) io.out(`${verb.padEnd(8)}${shown(f)}${note}\n`);
    };
    list("wrote", written);
    list("kept", kept);
    list("removed", removed);
    list("left", plan.foreign, " (not written by abic)");
  }
  const line =
    written.length + removed.length === 0
      ? `${where} ${where.includes(",") ? "are" : "is"} up to date (${plural(kept.length, "file")})`
      : `wrote ${plural(written.length, "file")}, kept ${kept.length}, removed ${removed.length} in ${where}`;
  if (output.format === "human" && !watching) io.out(line + "\n");
  return finish(true, line, {
    written: written.map(fromRoot),
    kept: kept.map(fromRoot),
    removed: removed.map(fromRoot),
    foreign: plan.foreign.map(fromRoot),
  });
}

const GEN_OPTIONS = {
  out: { type: "string", short: "o" },
  config: { type: "string", short: "c" },
  check: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  "ts-opt": { type: "string", multiple: true },
  enable: { type: "string", multiple: true },
  ...WATCH_OPTION,
  ...DENY_WARNINGS_OPTION,
  ...OUTPUT_OPTIONS,
} as const satisfies Options;

/** Wraps `text` at 60 columns, each line indented by `indent`. */
function wrapped(text: string, indent: string): string {
  const lines = [""];
  for (const word of text.split(" ")) {
    if (`${lines[lines.length - 1]} ${word}`.length > 60) lines.push("");
    lines[lines.length - 1] += (lines[lines.length - 1] ? " " : "") + word;
  }
  return lines.map((l) => `${indent}${l}`).join("\n");
}

/** The `--ts-opt` section of the help, from the option table. */
const TS_OPTIONS_HELP = TS_OPTIONS.map((o) => `                    ${o.name}=${o.values.join("|")} (default: ${o.default})\n${wrapped(o.summary, "                      ")}`).join("\n");

const OPTIONAL_TARGETS = TARGET_ENTRIES.filter((e) => !e.byDefault).map((e) => e.name);

/**
 * `--enable` values: targets that are off by default, comma-separated or repeated. Naming an
 * unknown target, or one that is on by default, is a usage error.
 */
function enabledTargets(values: readonly string[]): string[] {
  const names = [...new Set(values.flatMap((v) => v.split(",")).filter((n) => n !== ""))];
  for (const name of names) {
    if (TARGET_ENTRIES.some((e) => e.name === name && e.byDefault))
      throw new UsageError(`target \`${name}\` is on by default; --enable takes an off-by-default target (${OPTIONAL_TARGETS.join(", ")})`);
    if (!OPTIONAL_TARGETS.includes(name)) throw new UsageError(`unknown target \`${name}\` for --enable${didYouMean(name, OPTIONAL_TARGETS)}`);
  }
  return names;
}

const TARGETS_HELP = TARGET_ENTRIES.map((e) => `  ${e.name.padEnd(10)}${(e.folder === "" ? "./" : `${e.folder}/`).padEnd(6)}  ${e.summary}${e.byDefault ? "" : " (off unless listed)"}`).join("\n");

export const genCommand: CommandSpec<typeof GEN_OPTIONS> = {
  summary: "Generate C headers, TypeScript bindings, the Rust crate, docs and manifest",
  help: `Usage: abic gen [FILE] [-o DIR] [-c CONFIG] [--check] [-v] [--ts-opt KEY=VALUE[,KEY=VALUE]]...
                [--enable TARGET]... [--watch] [--deny-warnings] [--format F] [--color WHEN]

Checks the contract and writes every target's files into its folder. Settings come from
${CONFIG_FILE}, the nearest one in the working directory or a folder above it (see the
README), and the flags override them. Without one: FILE is abi.idl and DIR generated/.

Targets (the folder each writes to under DIR):
${TARGETS_HELP}

Only files whose content changed are written (each through a temporary file renamed over it);
generated files that are no longer generated are removed. abic records the files it wrote in
each folder (${RECORD_FILE}) and never overwrites or removes any other file; one in the
way stops the run before anything is written. A folder that holds the contract is refused.
Text whose input did not change is not formatted again, and in a project with node_modules/
a run whose inputs and outputs are unchanged renders nothing and, when the contract's files
are unchanged too, does not even parse it: its warnings are repeated from the cache (in
node_modules/.cache/abic/, which also keeps prettier's results for a run into an empty folder).
With a second core not kept busy by the system's load, the targets are rendered on two
threads (the same files).

  FILE              the contract's root IDL file (default: the configuration's
                    \`contract\`, else abi.idl)
  -o, --out DIR     the output root: every target writes to its folder under it,
                    whatever the configuration says (default: the configuration's
                    \`out\`, else generated)
  -c, --config F    the configuration file (default: the nearest ${CONFIG_FILE})
  --check           write nothing; compare with the files on disk, print a unified diff of
                    every stale file and exit 1 if any (what CI runs)
  -v, --verbose     list every file written, kept, removed or left alone
  --ts-opt KEY=V    an option of the TypeScript bindings (named as protoc-gen-es names
                    them); repeat it or separate options with commas:
${TS_OPTIONS_HELP}
  --enable TARGET   also run a target that is off by default (${OPTIONAL_TARGETS.join(", ")}); repeat it
                    or separate names with commas. html: the HTML reference in html/
                    (static pages with a sidebar and client-side search)
${DENY_WARNINGS_HELP}
${WATCH_HELP}
${OUTPUT_HELP}

With the default --ts-opt, ts/ compiles under a plain strict tsconfig (NodeNext or bundler
resolution, emit on) and the emitted JavaScript runs on Node 20. Example:
  abic gen --out src/generated --ts-opt target=js+dts

Exit status: 0 on success, 1 on errors in the contract or the configuration, stale files
(--check), a file of others in the way or an output folder that cannot be written or holds
the contract, 2 on bad usage.`,
  options: GEN_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
    const output = readOutput(values, io);
    const texts = new Map<string, string>();
    const resolved = resolveGenSetup(
      {
        contract: positionals[0],
        out: values.out,
        config: values.config,
        tsOpt: values["ts-opt"] ?? [],
        denyWarnings: values["deny-warnings"] === true,
        enable: enabledTargets(values.enable ?? []),
      },
      process.cwd(),
      texts,
    );
    if ("diagnostics" in resolved) {
      printDiagnostics(output, io, resolved.diagnostics, texts);
      if (output.format === "json") printEnvelope(io, "gen", false, resolved.diagnostics.map(recordOf));
      else if (output.format === "human") io.err(countLine(resolved.diagnostics) + "\n");
      return 1;
    }
    const mode: RunMode = { check: values.check === true, verbose: values.verbose === true };
    const { setup } = resolved;
    if (values.watch) return watchContract({ io, output, name: "gen", runOnce: () => genOnce(setup, mode, io, output, true) });
    return (await genOnce(setup, mode, io, output, false)).ok ? 0 : 1;
  },
};

