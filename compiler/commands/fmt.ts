// `abic fmt`: rewrites IDL files in the canonical layout (compiler/fmt/), or with --check and
// --diff says which files would change and how. A file that does not parse is reported and
// left as it is; only files whose text changes are written.

import { readdirSync, readFileSync, renameSync, statSync, writeFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { createTwoFilesPatch } from "diff";
import { positionOf, recordOf, type DiagnosticRecord } from "../diagnostic-formats.ts";
import type { Diagnostic } from "../diagnostics.ts";
import { formatText } from "../fmt/index.ts";
import { loadSources, readSource } from "../source.ts";
import { ANNOTATION_ORDER } from "../gates.ts";
import { UsageError, type CommandIO, type CommandSpec, type Options } from "./args.ts";
import { colorPatch, firstDifferentLine, OUTPUT_HELP, OUTPUT_OPTIONS, printDiagnostics, printEnvelope, printGithub, readOutput, type Output } from "./output.ts";

/** Every `.idl` file under a folder, sorted, skipping hidden folders and node_modules. */
function idlFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name.startsWith(".") || e.name === "node_modules" ? [] : idlFilesIn(p);
      return e.name.endsWith(".idl") ? [p] : [];
    });
}

/** What to format: the files named (folders searched for .idl files), or the contract and its includes. */
function targets(positionals: string[]): string[] {
  if (positionals.length === 0) {
    // Syntax errors do not matter here: each file is parsed again, and reported, when formatted.
    const loaded = loadSources("abi.idl");
    return loaded.texts.size ? [...loaded.texts.keys()].sort() : ["abi.idl"];
  }
  return positionals.flatMap((p) => {
    try {
      if (statSync(p).isDirectory()) return idlFilesIn(p);
    } catch {
      // A missing file is reported when it is read.
    }
    return [p];
  });
}

/** Replaces a file's text through a temporary sibling, so a failed write never leaves half a file. */
function writeInPlace(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.abic-fmt-${process.pid}`);
  const mode = statSync(file).mode;
  try {
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

interface FileOutcome {
  file: string;
  /** null when the file could not be formatted (unreadable, syntax errors). */
  changed: boolean | null;
}

const FMT_OPTIONS = { check: { type: "boolean" }, diff: { type: "boolean" }, ...OUTPUT_OPTIONS } as const satisfies Options;

export const fmtCommand: CommandSpec<typeof FMT_OPTIONS> = {
  summary: "Rewrite IDL files in the canonical layout",
  help: `Usage: abic fmt [FILE|DIR...] [--check] [--diff] [--format F] [--color WHEN]
       abic fmt -            (read stdin, write the formatted text to stdout)

Lays out each FILE (each .idl file under DIR; default: abi.idl and every file it
includes) in the one canonical layout: 4-space indentation, lines of at most 100
columns where a break is possible, one item, member, field or case per line, blank
lines between items kept (at most one), annotations in a fixed order on one line
when they fit (${ANNOTATION_ORDER.slice(0, 7).join(", ")},
${ANNOTATION_ORDER.slice(7).join(", ")}), parameter lists on one line when they fit
and otherwise one per line with a trailing comma, every comment kept where it was.
Formatting never changes meaning (the same syntax tree, so the same \`abic ir\`) and
a second run changes nothing. Files are rewritten in place, and only when their
text changes; a file with syntax errors is reported and left untouched.

  --check           write nothing; name every file that is not formatted and exit 1
                    if any (what CI runs)
  --diff            write nothing; print a unified diff of what would change
${OUTPUT_HELP}

Exit status: 0 when every file is (or now is) formatted, 1 when a file cannot be read
or parsed or (with --check) is not formatted, 2 on bad usage.`,
  options: FMT_OPTIONS,
  async run({ values, positionals }, io) {
    const flags = { check: values.check === true, diff: values.diff === true };
    const output = readOutput(values, io);
    if (positionals.includes("-")) {
      if (positionals.length > 1) throw new UsageError("`-` (stdin) cannot be combined with files");
      return formatStdin(io, output);
    }
    const records: DiagnosticRecord[] = [];
    const problems: Diagnostic[] = [];
    const texts = new Map<string, string>();
    const outcomes: FileOutcome[] = [];
    for (const file of targets(positionals)) {
      const source = readSource(file);
      if ("diagnostic" in source) {
        problems.push(source.diagnostic);
        outcomes.push({ file, changed: null });
        continue;
      }
      texts.set(file, source.text);
      const result = formatText(file, source.text);
      if (!result.ok) {
        problems.push(...result.diagnostics);
        outcomes.push({ file, changed: null });
        continue;
      }
      // A byte-order mark or CRLF line ends are not the canonical text either.
      const original = readFileSync(file, "utf8");
      const changed = result.text !== original;
      outcomes.push({ file, changed });
      if (!changed) continue;
      if (flags.diff && output.format === "human") io.out(colorPatch(createTwoFilesPatch(file, file, original, result.text), output.out));
      if (flags.check) {
        const line = firstDifferentLine(original, result.text);
        records.push({
          severity: "error",
          code: "E0601",
          message: `${file} is not formatted; run \`abic fmt\``,
          ...positionOf(null, file),
          line,
          column: 1,
          notes: [],
          suggestion: null,
        });
      } else if (!flags.diff) writeInPlace(file, result.text);
    }

    const unreadable = outcomes.filter((o) => o.changed === null).length;
    const changed = outcomes.filter((o) => o.changed).map((o) => o.file);
    const failed = unreadable > 0 || (flags.check && changed.length > 0);
    const all = [...problems.map(recordOf), ...records];
    if (output.format === "json") {
      printEnvelope(io, "fmt", !failed, all, { files: outcomes.map((o) => ({ file: o.file, changed: o.changed })) });
      return failed ? 1 : 0;
    }
    printDiagnostics(output, io, problems, texts);
    if (output.format === "github") {
      printGithub(io, records);
      return failed ? 1 : 0;
    }
    const formattable = outcomes.length - unreadable;
    if (flags.check) {
      for (const f of changed) io.out(`would reformat ${f}\n`);
      if (changed.length) io.err(`abic: ${changed.length} of ${formattable} file${formattable === 1 ? " is" : "s are"} not formatted; run \`abic fmt\`\n`);
      else io.out(`${formattable} file${formattable === 1 ? " is" : "s are"} formatted\n`);
    } else if (!flags.diff) {
      for (const f of changed) io.out(`formatted ${f}\n`);
      if (!changed.length) io.out(`${formattable} file${formattable === 1 ? " was" : "s were"} already formatted\n`);
    }
    if (unreadable) io.err(`abic: ${unreadable} file${unreadable === 1 ? "" : "s"} left untouched: ${unreadable === 1 ? "it has" : "they have"} errors\n`);
    return failed ? 1 : 0;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `abic fmt -`: for editors; the text comes in on stdin and goes out formatted on stdout. */
async function formatStdin(io: CommandIO, output: Output): Promise<number> {
  const text = await readStdin();
  const result = formatText("<stdin>", text.startsWith("\uFEFF") ? text.slice(1) : text);
  if (result.ok) {
    io.out(result.text);
    return 0;
  }
  if (output.format === "json") printEnvelope(io, "fmt", false, result.diagnostics.map(recordOf));
  else printDiagnostics(output, io, result.diagnostics, new Map([["<stdin>", text]]));
  return 1;
}
