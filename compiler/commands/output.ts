// The output options the diagnostic-reporting commands share (`--format human|json|github`,
// `--color auto|always|never`, `--deny-warnings`) and the one place that prints diagnostics
// in the chosen format.

import { envelope, githubAnnotation, OUTPUT_FORMATS, recordOf, type DiagnosticRecord, type OutputFormat } from "../diagnostic-formats.ts";
import { denyWarnings, formatDiagnostic, type Diagnostic } from "../diagnostics.ts";
import { COLOR_MODES, paletteFor, type ColorMode, type Palette } from "../palette.ts";
import { didYouMean } from "../suggest.ts";
import { UsageError, type CommandIO, type Options } from "./args.ts";

/** `--format` and `--color`, to spread into a command's options. */
export const OUTPUT_OPTIONS = {
  format: { type: "string", short: "f" },
  color: { type: "string" },
} as const satisfies Options;

export const OUTPUT_HELP = `  -f, --format F    human (default), json (one JSON document on stdout, see
                    DIAGNOSTICS.md) or github (GitHub Actions annotations)
  --color WHEN      auto (default: when the stream is a terminal and NO_COLOR is
                    unset), always or never`;

export const DENY_WARNINGS_OPTION = { "deny-warnings": { type: "boolean" } } as const satisfies Options;

export const DENY_WARNINGS_HELP = `  --deny-warnings   treat warnings as errors (exit 1, nothing written), for CI`;

export interface Output {
  format: OutputFormat;
  /** Styles for text written to stdout and to stderr. */
  out: Palette;
  err: Palette;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(", ")}, not \`${value}\`${didYouMean(value, allowed)}`);
}

/** The output a command's `--format` and `--color` ask for; `formats` are those it offers. */
export function readOutput(values: { format?: string; color?: string }, io: CommandIO, formats: readonly OutputFormat[] = OUTPUT_FORMATS): Output {
  const format = oneOf("format", values.format ?? "human", formats);
  const color = oneOf<ColorMode>("color", values.color ?? "auto", COLOR_MODES);
  const env = io.env ?? process.env;
  return {
    format,
    out: paletteFor(color, io.isTTY?.out ?? false, env),
    err: paletteFor(color, io.isTTY?.err ?? false, env),
  };
}

/** Applies `--deny-warnings` when it was given. */
export function applyDenyWarnings(diagnostics: Diagnostic[], deny: boolean | undefined): Diagnostic[] {
  return deny === true ? denyWarnings(diagnostics, "--deny-warnings") : diagnostics;
}

/**
 * Prints diagnostics as people or GitHub read them. JSON output is one document per run,
 * which the command prints itself with `printEnvelope` once it knows its verdict.
 */
export function printDiagnostics(output: Output, io: CommandIO, diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): void {
  if (output.format === "human") for (const d of diagnostics) io.err(formatDiagnostic(d, texts, output.err) + "\n");
  else if (output.format === "github") for (const d of diagnostics) io.out(githubAnnotation(recordOf(d)) + "\n");
}

/** Prints records that are not IDL diagnostics (diff and verify findings, stale files) for GitHub. */
export function printGithub(io: CommandIO, records: readonly DiagnosticRecord[]): void {
  for (const r of records) io.out(githubAnnotation(r) + "\n");
}

/** `--format json`: the whole run as one document (one line in watch mode, so each run is a line). */
export function printEnvelope<T extends object>(
  io: CommandIO,
  command: string,
  ok: boolean,
  records: DiagnosticRecord[],
  extra?: T,
  compact = false,
): void {
  io.out(JSON.stringify(envelope(command, ok, records, extra), null, compact ? undefined : 2) + "\n");
}


/** The line where two texts first differ (1-based), for pointing at a stale file. */
export function firstDifferentLine(a: string, b: string): number {
  const x = a.split("\n");
  const y = b.split("\n");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i + 1;
}

/** Colours a unified diff's added and removed lines. */
export function colorPatch(patch: string, palette: Palette): string {
  if (!palette.enabled) return patch;
  return patch
    .split("\n")
    .map((l) => (l.startsWith("+") && !l.startsWith("+++") ? palette.added(l) : l.startsWith("-") && !l.startsWith("---") ? palette.removed(l) : l.startsWith("@@") ? palette.note(l) : l))
    .join("\n");
}
