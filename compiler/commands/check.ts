// `abic check` and `abic ir`: the front end from the command line. `check` answers from the
// check cache (check-cache.ts) when the contract and abic are unchanged; the parser and checker
// are loaded only when it has to compile.

import { cachedCheck, checkCacheFile, frontEndIdentity, readRecord, rememberCheck, type CheckOutcome, type FileRead } from "../check-cache.ts";
import { recordOf } from "../diagnostic-formats.ts";
import { countLine, hasErrors, type Diagnostic } from "../diagnostics.ts";
import type { ContractModel } from "../model.ts";
import { readSource } from "../read-source.ts";
import { UsageError, type CommandIO, type CommandSpec, type Options } from "./args.ts";
import { applyDenyWarnings, DENY_WARNINGS_HELP, DENY_WARNINGS_OPTION, OUTPUT_HELP, OUTPUT_OPTIONS, printDiagnostics, printEnvelope, readOutput, type Output } from "./output.ts";
import { WATCH_HELP, WATCH_OPTION, watchContract, type WatchRun } from "./watch.ts";

const CHECK_OPTIONS = {
  quiet: { type: "boolean", short: "q" },
  ...OUTPUT_OPTIONS,
  ...DENY_WARNINGS_OPTION,
  ...WATCH_OPTION,
  "no-cache": { type: "boolean" },
} as const satisfies Options;
const IR_OPTIONS = { color: OUTPUT_OPTIONS.color } as const satisfies Options;

/** Prints the diagnostics and, when `counted` (not watching, not `--quiet`), their count; true when there are no errors. */
function report(c: { diagnostics: Diagnostic[]; texts: ReadonlyMap<string, string> }, io: CommandIO, output: Output, counted = true): boolean {
  printDiagnostics(output, io, c.diagnostics, c.texts as Map<string, string>);
  if (counted && c.diagnostics.length && output.format !== "json") io.err(countLine(c.diagnostics) + "\n");
  return !hasErrors(c.diagnostics);
}

function oneFile(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
  return positionals[0] ?? "abi.idl";
}

/** What a clean `abic check` prints: `name@version: N types, ..., M libc functions`. */
function summaryLine(m: ContractModel): string {
  const fns = m.modules.reduce((n, mod) => n + mod.functions.length, 0);
  const libc = m.libc.length ? `, ${m.libc.length} libc functions` : "";
  return `${m.package.name}@${m.package.version}: ${m.types.length} types, ${m.constants.length} constants, ${m.modules.length} modules, ${fns} functions${libc}`;
}

interface CheckFlags {
  /** `--quiet`: errors only, no count and no summary line. */
  quiet: boolean;
  denyWarnings: boolean;
}

/** What checking `file` finds, with every file it read and their texts. */
type Found = CheckOutcome & { files: string[]; texts: ReadonlyMap<string, string> };

/**
 * Checks `file`: from the check cache when `useCache` and the cache holds this exact contract
 * and abic, else by compiling it (and then remembering what was found).
 */
async function find(file: string, useCache: boolean): Promise<Found> {
  const cacheFile = useCache ? checkCacheFile(file) : null;
  const identity = cacheFile === null ? "" : frontEndIdentity();
  const hit = cachedCheck(cacheFile, identity, file);
  if (hit) return hit;
  const { compileFile } = await import("../index.ts");
  const reads: FileRead[] = [];
  const compilation = compileFile(file, (f, at) => {
    const r = readSource(f, at);
    // What the cache needs to tell later whether this file still reads the same (a digest).
    reads.push({ file: f, read: cacheFile === null ? "" : readRecord(r) });
    return r;
  });
  const outcome: CheckOutcome = { diagnostics: compilation.diagnostics, summary: compilation.model ? summaryLine(compilation.model) : null };
  rememberCheck(cacheFile, identity, file, reads, outcome);
  return { ...outcome, files: [...new Set(reads.map((r) => r.file))], texts: compilation.texts };
}

/** One check of the contract: what `abic check` prints, and what `--watch` repeats (never from the cache). */
async function checkOnce(file: string, flags: CheckFlags, io: CommandIO, output: Output, watching: boolean, useCache: boolean): Promise<WatchRun & { summary: string | null }> {
  const found = await find(file, useCache && !watching);
  const all = applyDenyWarnings(found.diagnostics, flags.denyWarnings);
  const c = { diagnostics: flags.quiet ? all.filter((d) => d.severity === "error") : all, texts: found.texts };
  const ok = report(c, io, output, !watching && !flags.quiet) && found.summary !== null;
  const summary = ok ? found.summary : null;
  if (output.format === "json") printEnvelope(io, "check", ok, c.diagnostics.map(recordOf), { summary }, watching);
  const warnings = c.diagnostics.length ? ` (${countLine(c.diagnostics)})` : "";
  return { ok, files: found.files, texts: found.texts, summary, line: summary ? summary + warnings : countLine(c.diagnostics) };
}

export const checkCommand: CommandSpec<typeof CHECK_OPTIONS> = {
  summary: "Check a contract and report every error and warning",
  help: `Usage: abic check [FILE] [-q] [--format human|json|github] [--color WHEN] [--deny-warnings] [--watch]

Parses and checks FILE (default: abi.idl) and every file it includes, and prints
every error and warning as FILE:LINE:COL: error CODE: message with a code frame,
and a "did you mean" hint when a mistyped name is close to a known one.

  -q, --quiet       print errors only: no warnings, no counts, no summary line
${OUTPUT_HELP}
${DENY_WARNINGS_HELP}
${WATCH_HELP}
  --no-cache        check from scratch: neither use nor update the check cache

abic keeps what a check found in node_modules/.cache/abic/ (the nearest
node_modules above FILE; none: no cache). It is used only when abic and every
file the check read are byte for byte the same, so the output is always what a
check from scratch prints.

Exit status: 0 when there are no errors, 1 when there are, 2 on bad usage.`,
  options: CHECK_OPTIONS,
  async run({ positionals, values }, io) {
    const file = oneFile(positionals);
    const output = readOutput(values, io);
    const flags: CheckFlags = { quiet: values.quiet === true, denyWarnings: values["deny-warnings"] === true };
    if (values.watch)
      return watchContract({ io, output, name: "check", runOnce: async () => checkOnce(file, flags, io, output, true, false) });
    const r = await checkOnce(file, flags, io, output, false, values["no-cache"] !== true);
    if (r.summary && output.format !== "json" && !flags.quiet) io.out(r.summary + "\n");
    return r.ok ? 0 : 1;
  },
};

export const irCommand: CommandSpec<typeof IR_OPTIONS> = {
  summary: "Print the checked model as JSON",
  help: `Usage: abic ir [FILE] [--color WHEN]

Prints the checked model of FILE (default: abi.idl) as JSON on stdout: the package,
every type with its size, alignment and field offsets, constants, modules and
functions with their import names and core wasm signatures, the command contract, and
the libc surface (\`libc\`: each patched libc function with its header, C prototype,
change and imports; \`libcSurface\`: the headers and absent functions).
The format is versioned by its \`schemaVersion\` field. Errors are printed as by
\`abic check\` (on stderr), and nothing is printed on stdout then.`,
  options: IR_OPTIONS,
  async run({ positionals, values }, io) {
    const [{ compileFile }, { manifestJson }] = await Promise.all([import("../index.ts"), import("../manifest.ts")]);
    const c = compileFile(oneFile(positionals));
    if (!report(c, io, readOutput(values, io, ["human"])) || !c.model) return 1;
    io.out(manifestJson(c.model));
    return 0;
  },
};
